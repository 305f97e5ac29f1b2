package dev.wizmesh.user.core;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a payment branch asks of a wallet: {@code amountCents} of {@code currency} from the
 * wallet of {@code userId}. Built only valid: bad input is a BAD_REQUEST (gRPC INVALID_ARGUMENT)
 * naming the field, never a failure deeper down.
 */
public record Payment(UUID userId, long amountCents, String currency) {
    /** The largest single payment: the same ceiling as a credit (100 million in major units). */
    public static final long MAX_AMOUNT_CENTS = 10_000_000_000L;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    public Payment {
        if (amountCents <= 0 || amountCents > MAX_AMOUNT_CENTS) {
            throw invalid("amount_cents", "amount_cents must be 1 to " + MAX_AMOUNT_CENTS + ", was " + amountCents);
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw invalid("currency", "currency must be an ISO 4217 code of three capital letters, was '" + currency + "'");
        }
    }

    /** From a request's strings: a user id that is not a UUID is bad input here (the caller's bug), not an unknown user. */
    public static Payment of(String userId, long amountCents, String currency) {
        UUID user;
        try {
            user = UUID.fromString(userId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("user_id", "user_id must be a UUID, was '" + userId + "'");
        }
        return new Payment(user, amountCents, currency);
    }

    static ApiException invalid(String field, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("field", field);
        return new ApiException(ErrorCode.BAD_REQUEST, details);
    }
}
