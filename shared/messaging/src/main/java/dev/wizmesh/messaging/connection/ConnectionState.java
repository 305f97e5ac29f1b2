package dev.wizmesh.messaging.connection;

/** Where an {@link AmqpConnection} is; the gauge {@code messaging_amqp_connected} is 1 only in CONNECTED. */
public enum ConnectionState {
    /** not started yet */
    NEW,
    /** started, never connected yet: the first connection is retried in the background */
    CONNECTING,
    CONNECTED,
    /** was connected, lost it: the client's automatic recovery reconnects and redeclares the topology */
    RECOVERING,
    /** stopped */
    CLOSED
}
