package dev.apiary.pdf.render;

import java.util.List;

/** School header printed on every report card. {@code logo} is only in the request; the core gets the bytes apart. */
public record School(String name, List<String> address, String district, String term, String issued,
                     String principal, Integer schoolDays, String logo) {

    public School {
        address = address == null ? List.of() : List.copyOf(address);
    }

    public School withoutLogo() {
        return new School(name, address, district, term, issued, principal, schoolDays, null);
    }
}
