package dev.apiary.pdf.support;

import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic report requests in the shape of gen_data.rb's data (accented Latin, Greek and Cyrillic names).
 */
public final class TestData {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    static final String[] FIRST = {"José", "María", "Zoë", "Björn", "Søren", "Łucja", "Thảo", "Ayşe", "Αλέξανδρος",
            "Ελένη", "Дмитрий", "Анна", "Priya", "Emma", "Noémie", "Iñaki"};
    static final String[] LAST = {"Núñez", "Østergaard", "Wiśniewska", "Nguyễn", "Yılmaz", "Παπαδόπουλος",
            "Οικονόμου", "Иванов", "Смирнова", "O'Connor", "Müller", "Weiß", "Côté", "Krishnamurthy"};
    static final String[] GRADES = {"A", "A-", "B+", "B", "B-", "C+", "C", "D", "F"};

    private TestData() {
    }

    public static Map<String, Object> school() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", "Lakeview International Secondary School");
        s.put("address", List.of("1450 Maplewood Avenue", "Springfield, OR 97477"));
        s.put("district", "Cascade Valley School District No. 19");
        s.put("term", "2024–2025 · Semester 2");
        s.put("issued", "2025-06-13");
        s.put("principal", "Dr. Margaret Åhlund-Kapoor");
        s.put("school_days", 92);
        return s;
    }

    /** Student {@code i}: a unique id and name, 8 courses, attendance, comments. */
    public static Map<String, Object> student(int i) {
        SplittableRandom rng = new SplittableRandom(1000L + i);
        String first = FIRST[i % FIRST.length];
        String last = LAST[(i / FIRST.length) % LAST.length];
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", String.format("S-%05d", i));
        s.put("first_name", first);
        s.put("last_name", last);
        s.put("name", first + " " + last + " " + (i + 1));
        s.put("grade_level", 9 + i % 4);
        s.put("homeroom", (9 + i % 4) + "-" + "ABC".charAt(i % 3));
        s.put("advisor", "Ms. Ingrid Sjöberg");
        s.put("date_of_birth", "2010-0" + (1 + i % 9) + "-1" + (i % 9));
        List<Map<String, Object>> courses = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            Map<String, Object> course = new LinkedHashMap<>();
            course.put("code", "C" + c + String.format("%03d", i % 1000));
            course.put("title", new String[]{"English Literature", "Algebra II", "Chemistry", "World History",
                    "Spanish III", "Physical Education", "Concert Band", "Statistics"}[c]);
            course.put("teacher", "Mr. Daniel Ortega");
            course.put("credits", c == 5 ? 0.5 : 1.0);
            List<Integer> marks = new ArrayList<>();
            for (int m = 0; m < 4; m++) {
                marks.add(60 + rng.nextInt(41));
            }
            course.put("marks", marks);
            course.put("average", marks.stream().mapToInt(Integer::intValue).average().orElse(0));
            course.put("final", GRADES[(i + c) % GRADES.length]);
            course.put("comment", first + " participates thoughtfully in class discussions and should keep reviewing notes.");
            courses.add(course);
        }
        s.put("courses", courses);
        s.put("attendance", Map.of("days_present", 88, "days_absent", 4, "days_tardy", 1));
        s.put("advisor_comment", first + " works well with classmates during group projects. A pleasure to have in class.");
        return s;
    }

    public static Map<String, Object> request(String template, int n) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("template", template);
        r.put("school_id", "lakeview");
        r.put("school", school());
        List<Map<String, Object>> students = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            students.add(student(i));
        }
        r.put("students", students);
        return r;
    }

    public static byte[] bytes(Object o) {
        return JSON.writeValueAsBytes(o);
    }

    /** The final grades of student {@code i}, in course order. */
    public static List<String> finals(int i) {
        List<String> f = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            f.add(GRADES[(i + c) % GRADES.length]);
        }
        return f;
    }

    /**
     * How the numbers and the final grade of course {@code c} of student {@code i} read in the extracted text of
     * the card, whitespace removed: average, final grade, credits (adjacent table cells).
     */
    public static String courseCells(int i, int c) {
        SplittableRandom rng = new SplittableRandom(1000L + i);
        int sum = 0;
        for (int cc = 0; cc <= c; cc++) {
            int s = 0;
            for (int m = 0; m < 4; m++) {
                s += 60 + rng.nextInt(41);
            }
            sum = s;
        }
        double avg = sum / 4.0;
        long tenths = Math.round(avg * 10);
        return (tenths / 10) + "." + (tenths % 10) + finals(i).get(c) + (c == 5 ? "0.5" : "1.0");
    }

    public static String name(int i) {
        return FIRST[i % FIRST.length] + " " + LAST[(i / FIRST.length) % LAST.length] + " " + (i + 1);
    }

    /** A small PNG logo, base64. */
    public static String pngBase64() {
        try {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int x = 0; x < 40; x++) {
                for (int y = 0; y < 20; y++) {
                    img.setRGB(x, y, x < 20 ? 0x1F3A5F : 0xEEEEEE);
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", out);
            return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A PNG that declares {@code width} x {@code height} pixels in its header but carries one row of data: what
     * a decompression bomb looks like to anything that reads only the header. Base64.
     */
    public static String pngDeclaring(int width, int height) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);   // 1-bit grey
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[1 + (width + 7) / 8]);
        d.finish();
        byte[] buf = new byte[1 << 16];
        int n = d.deflate(buf);
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return java.util.Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
