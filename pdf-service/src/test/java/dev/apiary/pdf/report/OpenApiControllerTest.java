package dev.apiary.pdf.report;

import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written OpenAPI document (no springdoc in this service) lists every operation of the controllers. */
class OpenApiControllerTest {

    @Test
    void documentDescribesEveryOperationOfReportController() {
        JsonNode doc = JsonMapper.builder().build().readTree(OpenApiController.document());
        assertThat(doc.get("openapi").asString()).startsWith("3.");
        String base = ReportController.class.getAnnotation(RequestMapping.class).value()[0];
        List<String> operations = new ArrayList<>();
        for (Method m : ReportController.class.getDeclaredMethods()) {
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
        assertThat(operations).hasSize(5);
        int documented = 0;
        for (JsonNode item : doc.get("paths")) {
            for (String verb : List.of("get", "post", "put", "patch", "delete")) {
                documented += item.has(verb) ? 1 : 0;
            }
        }
        assertThat(documented).as("operations in the document that the controller does not have").isEqualTo(5);
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
