package dev.apiary.pdf.render;

public record Attendance(Integer daysPresent, Integer daysAbsent, Integer daysTardy) {
}
