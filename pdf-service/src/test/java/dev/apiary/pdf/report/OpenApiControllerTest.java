package dev.apiary.pdf.report;

import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.apiary.common.admin.DeadLetterController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written OpenAPI document (no springdoc in this service) lists every operation of its controllers. */
class OpenApiControllerTest {

    @Test
    void documentDescribesEveryOperationOfTheControllers() {
        JsonNode doc = JsonMapper.builder().build().readTree(OpenApiController.document());
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        List<String> operations = new ArrayList<>();
        operations.addAll(operations(doc, ReportController.class, Map.of()));
        operations.addAll(operations(doc, DeadLetterController.class,
                Map.of("${apiary.admin.base-path}", adminBasePath())));
        assertThat(operations).hasSize(10);
        int documented = 0;
        for (JsonNode item : doc.get("paths")) {
            for (String verb : List.of("get", "post", "put", "patch", "delete")) {
                documented += item.has(verb) ? 1 : 0;
            }
        }
        assertThat(documented).as("operations in the document that the controllers do not have")
                .isEqualTo(operations.size());
    }

    private static List<String> operations(JsonNode doc, Class<?> controller, Map<String, String> placeholders) {
        String base = controller.getAnnotation(RequestMapping.class).path().length > 0
                ? controller.getAnnotation(RequestMapping.class).path()[0]
                : controller.getAnnotation(RequestMapping.class).value()[0];
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            base = base.replace(e.getKey(), e.getValue());
        }
        List<String> operations = new ArrayList<>();
        for (Method m : controller.getDeclaredMethods()) {
            String[] sub = null;
            String verb = null;
            if (m.getAnnotation(GetMapping.class) != null) {
                GetMapping a = m.getAnnotation(GetMapping.class);
                verb = "get";
                sub = a.value().length > 0 ? a.value() : a.path();
            } else if (m.getAnnotation(PostMapping.class) != null) {
                PostMapping a = m.getAnnotation(PostMapping.class);
                verb = "post";
                sub = a.value().length > 0 ? a.value() : a.path();
            } else if (m.getAnnotation(DeleteMapping.class) != null) {
                DeleteMapping a = m.getAnnotation(DeleteMapping.class);
                verb = "delete";
                sub = a.value().length > 0 ? a.value() : a.path();
            }
            if (verb != null) {
                String path = base + (sub.length > 0 ? sub[0] : "");
                operations.add(verb + " " + path);
                JsonNode item = doc.get("paths").get(path);
                assertThat(item).as("path %s in openapi/pdf-service.json", path).isNotNull();
                assertThat(item.get(verb)).as("%s %s in openapi/pdf-service.json", verb, path).isNotNull();
            }
        }
        return operations;
    }

    private static String adminBasePath() {
        Properties p = new Properties();
        try (InputStream in = OpenApiControllerTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("apiary.admin.base-path");
    }

    @Test
    void theReportSchemaHasExactlyTheFieldsOfReportView() {
        JsonNode doc = JsonMapper.builder().build().readTree(OpenApiController.document());
        JsonNode report = doc.get("components").get("schemas").get("Report").get("properties");
        assertThat(report.propertyNames()).containsExactlyInAnyOrderElementsOf(snakeCase(ReportView.class));
        assertThat(report.get("requested_by").get("properties").propertyNames())
                .containsExactlyInAnyOrderElementsOf(snakeCase(ReportView.RequestedBy.class));
    }

    static List<String> snakeCase(Class<? extends Record> type) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            names.add(c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
