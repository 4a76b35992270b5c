package dev.apiary.pdf.request;

import dev.apiary.pdf.render.Course;
import dev.apiary.pdf.render.PaperSize;
import dev.apiary.pdf.render.School;
import dev.apiary.pdf.render.Student;
import dev.apiary.pdf.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestReaderTest {
    @TempDir
    Path dir;

    final RequestReader reader = new RequestReader(Set.of("report_card", "class_summary"),
            new RequestReader.Limits(50, 10, 5_000_000, 100_000));

    ParsedRequest read(Object body) throws Exception {
        return reader.read(new ByteArrayInputStream(TestData.bytes(body)), dir);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> request(int n, Consumer<Map<String, Object>> change) {
        Map<String, Object> r = TestData.request("report_card", n);
        change.accept(r);
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> student0(Map<String, Object> r) {
        return ((List<Map<String, Object>>) r.get("students")).getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> course0(Map<String, Object> r) {
        return ((List<Map<String, Object>>) student0(r).get("courses")).getFirst();
    }

    void assertInvalid(Map<String, Object> body, String field, String message) {
        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void splitsStudentsIntoChunkFilesAndKeepsEveryField() throws Exception {
        ParsedRequest p = read(request(25, r -> r.put("generated_by", "ignored")));
        assertThat(p.students()).isEqualTo(25);
        assertThat(p.chunks()).isEqualTo(3);
        assertThat(p.template()).isEqualTo("report_card");
        assertThat(p.schoolId()).isEqualTo("lakeview");
        assertThat(p.paper()).isEqualTo(PaperSize.A4);
        assertThat(p.school().name()).isEqualTo("Lakeview International Secondary School");
        assertThat(p.sha256()).hasSize(64);
        List<Student> all = new ArrayList<>();
        Iterator<Student> it = RequestReader.students(dir, 0, p.chunks());
        it.forEachRemaining(all::add);
        assertThat(all).hasSize(25);
        assertThat(all.get(24).name()).isEqualTo(TestData.name(24));
        Course c = all.get(3).courses().get(2);
        assertThat(c.finalGrade()).isEqualTo(TestData.finals(3).get(2));
        assertThat(c.marks()).hasSize(4);
        assertThat(all.get(3).attendance().daysPresent()).isEqualTo(88);
        List<Student> second = new ArrayList<>();
        RequestReader.students(dir, 1, 2).forEachRemaining(second::add);
        assertThat(second).extracting(Student::id).first().isEqualTo("S-00010");
        assertThat(Files.exists(RequestReader.schoolFile(dir))).isTrue();
    }

    @Test
    void namesTheFieldOfEveryKindOfBadInput() {
        assertInvalid(request(2, r -> r.put("template", "nope")), "template", "unknown template");
        assertInvalid(request(2, r -> r.remove("template")), "template", "required");
        assertInvalid(request(2, r -> r.remove("school_id")), "school_id", "required");
        assertInvalid(request(2, r -> r.put("school_id", "bad id!")), "school_id", "letters");
        assertInvalid(request(2, r -> r.put("page_size", "A3")), "page_size", "A4 or LETTER");
        assertInvalid(request(2, r -> r.remove("school")), "school", "required");
        assertInvalid(request(2, r -> ((Map<String, Object>) r.get("school")).remove("name")), "school.name", "required");
        assertInvalid(request(0, r -> { }), "students", "at least one");
        assertInvalid(request(2, r -> r.remove("students")), "students", "at least one");
        assertInvalid(request(2, r -> r.put("students", "x")), "students", "array");
        assertInvalid(request(2, r -> student0(r).remove("id")), "students[0].id", "required");
        assertInvalid(request(2, r -> { student0(r).remove("name"); student0(r).remove("first_name"); student0(r).remove("last_name"); }),
                "students[0].name", "required");
        assertInvalid(request(2, r -> course0(r).remove("final")), "students[0].courses[0].final", "required");
        assertInvalid(request(2, r -> course0(r).put("marks", List.of(1, 2, 3, 4, 5))), "students[0].courses[0].marks", "at most 4");
        assertInvalid(request(2, r -> course0(r).put("marks", List.of("abc"))), "students[0].courses[0].marks[0]", "invalid value");
        assertInvalid(request(2, r -> student0(r).put("attendance", Map.of("days_absent", -1))),
                "students[0].attendance.days_absent", "negative");
        assertInvalid(request(2, r -> ((Map<String, Object>) r.get("school")).put("logo", "bm90IGFuIGltYWdlIGF0IGFsbA==")),
                "school.logo", "not a PNG, JPEG or GIF");
        assertInvalid(request(2, r -> ((Map<String, Object>) r.get("school")).put("logo", "%%%")), "school.logo", "base64");
    }

    @Test
    void tooManyStudentsIsTooLarge() {
        assertThatThrownBy(() -> read(TestData.request("report_card", 51)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.tooLarge()).isTrue();
                    assertThat(e.field()).isEqualTo("students");
                });
    }

    @Test
    void bodyOverTheLimitIsTooLarge() {
        RequestReader small = new RequestReader(Set.of("report_card"), new RequestReader.Limits(50, 10, 1000, 1000));
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(TestData.bytes(TestData.request("report_card", 5))), dir))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.tooLarge()).isTrue());
    }

    @Test
    void malformedJsonIsRefused() {
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream("{\"template\": \"report_card\", \"students\": [".getBytes()), dir))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream("[1,2]".getBytes()), dir))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("JSON object");
    }

    @Test
    @SuppressWarnings("unchecked")
    void acceptsAPngLogoAsBase64OrDataUri() throws Exception {
        String png = TestData.pngBase64();
        ParsedRequest p = read(request(1, r -> ((Map<String, Object>) r.get("school")).put("logo", "data:image/png;base64," + png)));
        assertThat(p.hasLogo()).isTrue();
        assertThat(Files.size(RequestReader.logoFile(dir))).isGreaterThan(50);
        assertThat(p.school().logo()).isNull();
    }

    InvalidInputException refusal(String json) {
        try {
            reader.read(new ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), dir);
        } catch (InvalidInputException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + json.substring(0, Math.min(200, json.length())));
    }

    /**
     * Each body below is cut off (malformed) after an over-long list: a check after binding would see the malformed
     * JSON first; a check while streaming refuses the list as soon as it has one entry too many.
     */
    @Test
    void listsAreRefusedWhileTheyStreamInBeforeTheRestIsRead() {
        String head = "{\"template\":\"report_card\",\"school_id\":\"lakeview\",";
        InvalidInputException address = refusal(head + "\"school\":{\"name\":\"S\",\"address\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"");
        assertThat(address.field()).isEqualTo("school.address");
        assertThat(address.getMessage()).isEqualTo("at most 4 lines");
        InvalidInputException marks = refusal(head + "\"school\":{\"name\":\"S\"},\"students\":[{\"id\":\"a\",\"name\":\"b\","
                + "\"courses\":[{\"title\":\"t\",\"final\":\"A\"},{\"title\":\"t\",\"final\":\"A\",\"marks\":[1,2,3,4,5,6,");
        assertThat(marks.field()).isEqualTo("students[0].courses[1].marks");
        assertThat(marks.getMessage()).isEqualTo("at most 4 term marks");
        StringBuilder many = new StringBuilder(head + "\"students\":[");
        for (int i = 0; i < 51; i++) {
            many.append("{\"id\":\"s").append(i).append("\",\"name\":\"n\"},");
        }
        InvalidInputException students = refusal(many.toString());
        assertThat(students.field()).isEqualTo("students");
        assertThat(students.tooLarge()).isTrue();
    }

    @Test
    void aStringLongerThanAnyValidFieldIsRefusedBeforeItIsRead() {
        // this reader's largest logo is 100,000 bytes: ~133,000 base64 characters, so no valid string is 400,000 long
        String head = "{\"template\":\"report_card\",\"school_id\":\"lakeview\",\"school\":{\"name\":\"S\",\"logo\":\"";
        InvalidInputException logo = refusal(head + "A".repeat(400_000));   // cut off: no closing quote
        assertThat(logo.field()).isEqualTo("school.logo");
        assertThat(logo.tooLarge()).isTrue();
        InvalidInputException name = refusal("{\"students\":[{\"id\":\"a\",\"name\":\"" + "n".repeat(400_000) + "\"}]}");
        assertThat(name.field()).isEqualTo("students[0].name");
        InvalidInputException callback = refusal("{\"callback_url\":\"https://x/" + "p".repeat(400_000) + "\"}");
        assertThat(callback.field()).isEqualTo("callback_url");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLogoOfMoreThan4096PixelsASideIsRefusedFromItsHeader() throws Exception {
        // declares 60,000 x 60,000 pixels (3.6 gigapixels) in a file of ~100 bytes: only the header is read
        String bomb = TestData.pngDeclaring(60_000, 60_000);
        assertThat(Base64.getDecoder().decode(bomb).length).isLessThan(200);
        assertInvalid(request(1, r -> ((Map<String, Object>) r.get("school")).put("logo", bomb)),
                "school.logo", "60000x60000 pixels; at most 4096x4096");
        assertInvalid(request(1, r -> ((Map<String, Object>) r.get("school")).put("logo", TestData.pngDeclaring(4097, 1))),
                "school.logo", "at most 4096x4096");
        assertInvalid(request(1, r -> ((Map<String, Object>) r.get("school")).put("logo", TestData.pngDeclaring(1, 4097))),
                "school.logo", "at most 4096x4096");
        ParsedRequest edge = read(request(1, r -> ((Map<String, Object>) r.get("school")).put("logo", TestData.pngDeclaring(4096, 1))));
        assertThat(edge.hasLogo()).isTrue();
    }
}
