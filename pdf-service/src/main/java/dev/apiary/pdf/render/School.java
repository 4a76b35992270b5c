package dev.apiary.pdf.render;

import java.util.List;

/**
 * School header printed on every report card. {@code logo} is only in the request; the core gets the bytes apart.
 * {@code locale}, {@code gradingScale} and {@code termNames} are the request's or, when it has none, the school's
 * defaults from the settings (filled in when the request is read).
 */
public record School(String name, List<String> address, String district, String term, String issued,
                     String principal, Integer schoolDays, String logo, String locale,
                     List<GradingScale.Grade> gradingScale, List<String> termNames) {

    public School {
        address = address == null ? List.of() : List.copyOf(address);
        gradingScale = gradingScale == null ? null : List.copyOf(gradingScale);
        termNames = termNames == null ? null : List.copyOf(termNames);
    }

    public School(String name, List<String> address, String district, String term, String issued, String principal,
                  Integer schoolDays, String logo) {
        this(name, address, district, term, issued, principal, schoolDays, logo, null, null, null);
    }

    public School withoutLogo() {
        return new School(name, address, district, term, issued, principal, schoolDays, null, locale, gradingScale,
                termNames);
    }

    /** This school with the defaults filled in where it has no value of its own. */
    public School withDefaults(String defaultLocale, List<GradingScale.Grade> defaultScale, List<String> defaultTerms) {
        return new School(name, address, district, term, issued, principal, schoolDays, logo,
                locale == null ? defaultLocale : locale, gradingScale == null ? defaultScale : gradingScale,
                termNames == null ? defaultTerms : termNames);
    }

    public GradingScale scale() {
        return gradingScale == null ? GradingScale.NONE : new GradingScale(gradingScale);
    }

    /** The four term-mark column heads: the school's, else the locale's. */
    public List<String> terms(Labels labels) {
        List<String> t = termNames == null || termNames.isEmpty() ? labels.termNames() : termNames;
        return java.util.stream.IntStream.range(0, 4).mapToObj(i -> i < t.size() ? t.get(i) : "").toList();
    }
}
