package dev.apiary.pdf.request;

import dev.apiary.pdf.render.Attendance;
import dev.apiary.pdf.render.Course;
import dev.apiary.pdf.render.PaperSize;
import dev.apiary.pdf.render.GradingScale;
import dev.apiary.pdf.render.Labels;
import dev.apiary.pdf.render.School;
import dev.apiary.pdf.render.Student;
import org.openpdf.text.Image;
import tools.jackson.core.JacksonException;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a group-report request body as a stream: validates it field by field and writes the students into chunk
 * files of at most {@code chunkSize} students in {@code dir}, so the body is never held in memory. Any problem is
 * an {@link InvalidInputException} naming the field; the caller then deletes {@code dir}.
 */
public final class RequestReader {
    public static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern SCHOOL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** Longest name, title, teacher or advisor. */
    static final int MAX_TEXT = 2000;
    /** Longest comment (a sane bound: about four pages of a card; longer ones continue on more pages). */
    static final int MAX_COMMENT = 20_000;
    /** Largest logo in pixels per side: checked from the image header, before anything decodes the pixels. */
    public static final int MAX_LOGO_SIDE = 4096;
    /** Lists checked while they stream in (students are counted by {@link #readStudents}). */
    private static final Map<String, ArrayLimits.Limit> LIST_LIMITS = Map.of(
            "school.address", new ArrayLimits.Limit(4, "lines"),
            "students[].courses[].marks", new ArrayLimits.Limit(4, "term marks"));

    /** Limits of one request. */
    public record Limits(int maxStudents, int chunkSize, long maxBytes, int maxLogoBytes) {
    }

    /** A school's defaults for what a request leaves out (the settings' {@code school-defaults}). */
    public record SchoolDefaults(String locale, List<GradingScale.Grade> gradingScale, List<String> termNames) {
        public static final SchoolDefaults NONE = new SchoolDefaults(null, null, null);
    }

    private final Set<String> templates;
    private final Limits limits;
    private final Function<String, SchoolDefaults> defaults;
    private final int maxStringChars;
    /** Parsers that stop at a string longer than any valid field (the logo's base64), before it is in memory. */
    private final JsonFactory parsers;

    public RequestReader(Set<String> templates, Limits limits) {
        this(templates, limits, id -> SchoolDefaults.NONE);
    }

    /** {@code defaults}: the defaults of a {@code school_id} (never null). */
    public RequestReader(Set<String> templates, Limits limits, Function<String, SchoolDefaults> defaults) {
        this.templates = Set.copyOf(templates);
        this.limits = limits;
        this.defaults = defaults;
        // base64 of the largest logo, with room for line breaks and a data: URI prefix
        this.maxStringChars = (int) Math.min(Integer.MAX_VALUE, (long) limits.maxLogoBytes() / 3 * 4 * 21 / 20 + 65_536);
        this.parsers = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxStringChars).build())
                .build();
    }

    public static Path chunkFile(Path dir, int chunk) {
        return dir.resolve(String.format("students-%05d.json", chunk));
    }

    public static Path schoolFile(Path dir) {
        return dir.resolve("school.json");
    }

    public static Path logoFile(Path dir) {
        return dir.resolve("logo.bin");
    }

    public ParsedRequest read(InputStream body, Path dir) throws IOException {
        Files.createDirectories(dir);
        CountingInputStream in = new CountingInputStream(new BufferedInputStream(body, 1 << 16), limits.maxBytes());
        String template = null;
        String schoolId = null;
        String paper = null;
        String callback = null;
        String locale = null;
        School school = null;
        boolean sawStudents = false;
        Chunks chunks = new Chunks(dir, limits.chunkSize());
        JsonParser p = new ArrayLimits(parsers.createParser(ObjectReadContext.empty(), in), LIST_LIMITS);
        try {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(null, "the body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "template" -> template = string(p, t, "template");
                    case "school_id" -> schoolId = string(p, t, "school_id");
                    case "page_size" -> paper = string(p, t, "page_size");
                    case "callback_url" -> callback = string(p, t, "callback_url");
                    case "locale" -> locale = string(p, t, "locale");
                    case "school" -> school = bind(p, t, School.class, "school");
                    case "students" -> {
                        sawStudents = true;
                        readStudents(p, t, chunks);
                    }
                    default -> p.skipChildren();
                }
            }
            // the rest (after the top-level object) must be empty
            if (p.nextToken() != null) {
                throw new InvalidInputException(null, "unexpected content after the JSON object");
            }
        } catch (StreamConstraintsException e) {
            throw tooLong(p);
        } catch (JacksonException e) {
            throw new InvalidInputException(pathOf(e), "malformed JSON: " + e.getOriginalMessage());
        } finally {
            p.close();
            chunks.close();
        }
        if (template == null || template.isBlank()) {
            throw new InvalidInputException("template", "is required (one of " + templates + ")");
        }
        if (!templates.contains(template)) {
            throw new InvalidInputException("template", "unknown template '" + template + "' (one of " + templates + ")");
        }
        if (schoolId == null || !SCHOOL_ID.matcher(schoolId).matches()) {
            throw new InvalidInputException("school_id", "is required: 1-64 letters, digits, '_', '-' or '.'");
        }
        PaperSize size = PaperSize.parse(paper)
                .orElseThrow(() -> new InvalidInputException("page_size", "must be A4 or LETTER"));
        if (school == null) {
            throw new InvalidInputException("school", "is required");
        }
        if (blank(school.name())) {
            throw new InvalidInputException("school.name", "is required");
        }
        text(school.name(), "school.name");
        text(school.district(), "school.district");
        text(school.term(), "school.term");
        text(school.principal(), "school.principal");
        if (school.schoolDays() != null && school.schoolDays() < 0) {
            throw new InvalidInputException("school.school_days", "must not be negative");
        }
        if (locale != null && !Labels.supported(locale)) {
            throw new InvalidInputException("locale", "unsupported locale '" + locale + "' (one of "
                    + Labels.SUPPORTED + ")");
        }
        if (school.locale() != null && !Labels.supported(school.locale())) {
            throw new InvalidInputException("school.locale", "unsupported locale '" + school.locale() + "' (one of "
                    + Labels.SUPPORTED + ")");
        }
        validateScale(school.gradingScale());
        validateTerms(school.termNames());
        SchoolDefaults d = defaults.apply(schoolId);
        String lang = locale != null ? locale : school.locale() != null ? school.locale()
                : d.locale() != null ? d.locale() : Labels.SUPPORTED.getFirst();
        school = new School(school.name(), school.address(), school.district(), school.term(), school.issued(),
                school.principal(), school.schoolDays(), school.logo(), lang, school.gradingScale(),
                school.termNames()).withDefaults(lang, d.gradingScale(), d.termNames());
        boolean hasLogo = false;
        if (school.logo() != null && !school.logo().isBlank()) {
            byte[] logo = logo(school.logo());
            Files.write(logoFile(dir), logo);
            hasLogo = true;
        }
        if (!sawStudents || chunks.total == 0) {
            throw new InvalidInputException("students", "at least one student is required");
        }
        School stored = school.withoutLogo();
        JSON.writeValue(schoolFile(dir).toFile(), stored);
        return new ParsedRequest(template, schoolId, size, callback, stored, hasLogo, chunks.total, chunks.files,
                limits.chunkSize(), in.count(), in.sha256());
    }

    private void readStudents(JsonParser p, JsonToken t, Chunks chunks) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw new InvalidInputException("students", "must be an array");
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String path = "students[" + i + "]";
            if (i >= limits.maxStudents()) {
                throw new InvalidInputException("students", "more than the maximum of " + limits.maxStudents()
                        + " students", true);
            }
            Student s;
            try {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new InvalidInputException(path, "must be an object");
                }
                s = JSON.readValue(p, Student.class);
            } catch (StreamConstraintsException e) {
                throw tooLong(p);
            } catch (JacksonException e) {
                throw refusedWhileBinding(e).orElseGet(() ->
                        new InvalidInputException(path + suffix(pathOf(e)), "invalid value: " + e.getOriginalMessage()));
            }
            validate(s, path);
            chunks.add(s);
            i++;
        }
    }

    private void validate(Student s, String path) {
        if (blank(s.id())) {
            throw new InvalidInputException(path + ".id", "is required");
        }
        if (s.id().length() > 64) {
            throw new InvalidInputException(path + ".id", "at most 64 characters");
        }
        if (blank(s.displayName())) {
            throw new InvalidInputException(path + ".name", "is required (or first_name and last_name)");
        }
        text(s.displayName(), path + ".name");
        text(s.advisor(), path + ".advisor");
        comment(s.advisorComment(), path + ".advisor_comment");
        for (int c = 0; c < s.courses().size(); c++) {
            Course course = s.courses().get(c);
            String cp = path + ".courses[" + c + "]";
            if (course == null) {
                throw new InvalidInputException(cp, "must be an object");
            }
            if (blank(course.title())) {
                throw new InvalidInputException(cp + ".title", "is required");
            }
            if (blank(course.finalGrade())) {
                throw new InvalidInputException(cp + ".final", "is required");
            }
            if (course.finalGrade().length() > 8) {
                throw new InvalidInputException(cp + ".final", "at most 8 characters");
            }
            for (int m = 0; m < course.marks().size(); m++) {
                Double v = course.marks().get(m);
                if (v != null && (v < 0 || v > 1000)) {
                    throw new InvalidInputException(cp + ".marks[" + m + "]", "must be between 0 and 1000");
                }
            }
            if (course.credits() != null && course.credits() < 0) {
                throw new InvalidInputException(cp + ".credits", "must not be negative");
            }
            text(course.title(), cp + ".title");
            text(course.teacher(), cp + ".teacher");
            comment(course.comment(), cp + ".comment");
        }
        Attendance a = s.attendance();
        if (a != null) {
            nonNegative(a.daysPresent(), path + ".attendance.days_present");
            nonNegative(a.daysAbsent(), path + ".attendance.days_absent");
            nonNegative(a.daysTardy(), path + ".attendance.days_tardy");
        }
    }

    private byte[] logo(String value) {
        String b64 = value.trim();
        if (b64.startsWith("data:")) {
            int comma = b64.indexOf(',');
            if (comma < 0 || !b64.substring(0, comma).endsWith(";base64")) {
                throw new InvalidInputException("school.logo", "must be base64 or a base64 data: URI");
            }
            b64 = b64.substring(comma + 1);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("school.logo", "is not valid base64");
        }
        if (bytes.length > limits.maxLogoBytes()) {
            throw new InvalidInputException("school.logo", "larger than " + limits.maxLogoBytes() + " bytes", true);
        }
        if (!looksLikeImage(bytes)) {
            throw new InvalidInputException("school.logo", "is not a PNG, JPEG or GIF image");
        }
        checkPixelSize(bytes);
        try {
            Image img = Image.getInstance(bytes);
            if (img.getWidth() <= 0 || img.getHeight() <= 0) {
                throw new InvalidInputException("school.logo", "image has no size");
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new InvalidInputException("school.logo", "is not a readable PNG, JPEG or GIF image");
        }
        return bytes;
    }

    /**
     * Refuses a logo of more than {@value #MAX_LOGO_SIDE} pixels a side, read from the image header by an ImageIO
     * reader without decoding the pixels: a small file can declare a huge image (a decompression bomb).
     */
    private static void checkPixelSize(byte[] bytes) {
        int width;
        int height;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidInputException("school.logo", "is not a readable PNG, JPEG or GIF image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException invalid) {
                throw invalid;
            }
            throw new InvalidInputException("school.logo", "is not a readable PNG, JPEG or GIF image");
        }
        if (width > MAX_LOGO_SIDE || height > MAX_LOGO_SIDE) {
            throw new InvalidInputException("school.logo", "is " + width + "x" + height + " pixels; at most "
                    + MAX_LOGO_SIDE + "x" + MAX_LOGO_SIDE);
        }
    }

    private static boolean looksLikeImage(byte[] b) {
        if (b.length < 8) {
            return false;
        }
        boolean png = (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
        boolean jpeg = (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8;
        boolean gif = b[0] == 'G' && b[1] == 'I' && b[2] == 'F';
        return png || jpeg || gif;
    }

    private static void nonNegative(Integer v, String field) {
        if (v != null && v < 0) {
            throw new InvalidInputException(field, "must not be negative");
        }
    }

    private static void text(String s, String field) {
        if (s != null && s.length() > MAX_TEXT) {
            throw new InvalidInputException(field, "at most " + MAX_TEXT + " characters");
        }
    }

    private static void validateScale(List<GradingScale.Grade> scale) {
        if (scale == null) {
            return;
        }
        if (scale.size() > 30) {
            throw new InvalidInputException("school.grading_scale", "at most 30 grades");
        }
        for (int i = 0; i < scale.size(); i++) {
            GradingScale.Grade g = scale.get(i);
            String f = "school.grading_scale[" + i + "]";
            if (g == null) {
                throw new InvalidInputException(f, "must be an object");
            }
            if (blank(g.grade()) || g.grade().length() > 8) {
                throw new InvalidInputException(f + ".grade", "is required: 1-8 characters");
            }
            if (g.min() == null || g.min() < 0 || g.min() > 1000) {
                throw new InvalidInputException(f + ".min", "is required: 0-1000");
            }
            if (g.points() != null && (g.points() < 0 || g.points() > 100)) {
                throw new InvalidInputException(f + ".points", "must be between 0 and 100");
            }
        }
    }

    private static void validateTerms(List<String> terms) {
        if (terms == null) {
            return;
        }
        if (terms.size() > 4) {
            throw new InvalidInputException("school.term_names", "at most 4 terms");
        }
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i) == null || terms.get(i).length() > 32) {
                throw new InvalidInputException("school.term_names[" + i + "]", "is required: at most 32 characters");
            }
        }
    }

    private static void comment(String s, String field) {
        if (s != null && s.length() > MAX_COMMENT) {
            throw new InvalidInputException(field, "at most " + MAX_COMMENT + " characters");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String string(JsonParser p, JsonToken t, String field) {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new InvalidInputException(field, "must be a string");
        }
        return p.getString();
    }

    private <T> T bind(JsonParser p, JsonToken t, Class<T> type, String field) {
        if (t != JsonToken.START_OBJECT) {
            throw new InvalidInputException(field, "must be an object");
        }
        try {
            return JSON.readValue(p, type);
        } catch (StreamConstraintsException e) {
            throw tooLong(p);
        } catch (JacksonException e) {
            throw refusedWhileBinding(e).orElseGet(() ->
                    new InvalidInputException(field + suffix(pathOf(e)), "invalid value: " + e.getOriginalMessage()));
        }
    }

    /** A string over the parser's limit: 413 naming the field it was in. */
    private InvalidInputException tooLong(JsonParser p) {
        return new InvalidInputException(ArrayLimits.path(p.streamReadContext(), true),
                "longer than " + maxStringChars + " characters", true);
    }

    /** The refusal of a list limit that data binding wrapped on its way out. */
    private static Optional<InvalidInputException> refusedWhileBinding(JacksonException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof InvalidInputException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    private static String suffix(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        return path.startsWith("[") ? path : "." + path;
    }

    /** The JSON path of a Jackson error, e.g. {@code courses[2].marks[0]}. */
    static String pathOf(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Writes students into numbered chunk files (JSON arrays). */
    private static final class Chunks {
        private final Path dir;
        private final int size;
        private OutputStream out;
        private JsonGenerator gen;
        private int inChunk;
        int total;
        int files;

        Chunks(Path dir, int size) {
            this.dir = dir;
            this.size = size;
        }

        void add(Student s) throws IOException {
            if (gen == null || inChunk == size) {
                finish();
                out = new BufferedOutputStream(Files.newOutputStream(chunkFile(dir, files)), 1 << 16);
                gen = JSON.createGenerator(out);
                gen.writeStartArray();
                files++;
                inChunk = 0;
            }
            JSON.writeValue(gen, s);
            inChunk++;
            total++;
        }

        private void finish() throws IOException {
            if (gen != null) {
                gen.writeEndArray();
                gen.close();
                out.close();
                gen = null;
            }
        }

        void close() {
            try {
                finish();
            } catch (IOException | JacksonException ignored) {
                // the caller deletes the directory on failure
            }
        }
    }

    /** Streams the students of chunk files {@code from..to-1}, in order, one at a time. */
    public static Iterator<Student> students(Path dir, int from, int to) {
        List<Path> files = new ArrayList<>();
        for (int c = from; c < to; c++) {
            files.add(chunkFile(dir, c));
        }
        return new StudentIterator(files);
    }

    private static final class StudentIterator implements Iterator<Student> {
        private final Iterator<Path> files;
        private JsonParser parser;
        private Student next;

        StudentIterator(List<Path> files) {
            this.files = files.iterator();
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            try {
                while (true) {
                    if (parser == null) {
                        if (!files.hasNext()) {
                            return false;
                        }
                        InputStream in = new BufferedInputStream(Files.newInputStream(files.next()), 1 << 16);
                        parser = JSON.createParser(in);
                        if (parser.nextToken() != JsonToken.START_ARRAY) {
                            throw new IllegalStateException("chunk file is not an array");
                        }
                    }
                    if (parser.nextToken() == JsonToken.START_OBJECT) {
                        next = JSON.readValue(parser, Student.class);
                        return true;
                    }
                    parser.close();
                    parser = null;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Student next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Student s = next;
            next = null;
            return s;
        }
    }
}
