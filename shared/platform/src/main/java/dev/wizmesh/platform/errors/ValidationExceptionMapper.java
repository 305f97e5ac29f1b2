package dev.wizmesh.platform.errors;

import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bean Validation failures on a request: 422 with one entry per invalid field,
 * {@code details.fields = [{"field":"email","message":"must not be blank"}]}.
 */
@Provider
public class ValidationExceptionMapper implements ExceptionMapper<JerseyViolationException> {
    private static final java.util.regex.Pattern JAXRS_PARAMETER =
            java.util.regex.Pattern.compile("^(query param|path param|header|form field|cookie|matrix param) ");

    @Override
    public Response toResponse(JerseyViolationException e) {
        List<Map<String, Object>> fields = new ArrayList<>();
        e.getConstraintViolations().stream()
                .sorted(Comparator.comparing((ConstraintViolation<?> v) -> fieldName(v.getPropertyPath())))
                .forEach(v -> {
                    Map<String, Object> field = new LinkedHashMap<>();
                    field.put("field", fieldName(v.getPropertyPath()));
                    field.put("message", v.getMessage());
                    fields.add(field);
                });
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("count", fields.size());
        details.put("fields", fields);
        return ErrorResponses.of(ErrorCode.VALIDATION_FAILED, details);
    }

    /**
     * The field as a client knows it: a body property path like {@code create.body.address.city}
     * becomes {@code address.city}; a query or path parameter keeps its declared name.
     */
    static String fieldName(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        Path.Node last = nodes.get(nodes.size() - 1);
        if (last.getKind() == ElementKind.PARAMETER) {
            // Dropwizard names JAX-RS parameters "query param q", "path param id", "header X";
            // the client knows them as q, id, X
            return JAXRS_PARAMETER.matcher(last.getName()).replaceFirst("");
        }
        List<String> names = new ArrayList<>();
        for (Path.Node node : nodes) {
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            // a node's index is its place in the container named by the node before it:
            // items -> productId(index 0) reads "items[0].productId"
            if (node.isInIterable() && node.getIndex() != null && !names.isEmpty()) {
                names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                names.add(node.getName());
            }
        }
        return names.isEmpty() ? last.getName() : String.join(".", names);
    }
}
