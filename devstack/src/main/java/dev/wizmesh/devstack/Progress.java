package dev.wizmesh.devstack;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The devstack's progress lines, one per step, on stdout (which ./run.sh sends to var/log/devstack.log).
 * Plain lines in the same "HH:mm:ss message" form as run.sh's own, so the two read as one story.
 */
final class Progress {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Progress() {
    }

    static void say(String message) {
        System.out.println(LocalTime.now().format(TIME) + " devstack: " + message);
        System.out.flush();
    }
}
