package dev.pail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.aliyun.sdk.service.oss2.exceptions.ServiceException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Finding the {@link ServiceException} the V2 SDK wraps (in an OperationException) around server errors. */
public final class V2Errors {
    private V2Errors() {}

    /** The ServiceException in {@code t}'s cause chain, or null. */
    public static ServiceException service(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ServiceException s) return s;
        }
        return null;
    }

    /** All messages of the cause chain, joined. */
    public static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c.getMessage()).append(" | ");
        return b.toString();
    }

    /**
     * Runs {@code call}, expects a server error with {@code status} and {@code code}, and checks that
     * the request id the SDK reports is the {@code x-oss-request-id} header (24 upper-case hex).
     */
    public static ServiceException expect(int status, String code, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).as("expected %s %s", status, code).isNotNull();
        ServiceException e = service(t);
        assertThat(e).as("no ServiceException in %s", messages(t)).isNotNull();
        assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(code);
        String header = header(e, "x-oss-request-id");
        assertThat(header).matches("[0-9A-F]{24}");
        assertThat(e.requestId()).isEqualTo(header);
        return e;
    }

    /** A response header of the error, case-insensitively. */
    public static String header(ServiceException e, String name) {
        return e.headers().entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(java.util.Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
