package dev.apiary.alert.core;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/** Phone numbers to E.164 (libphonenumber, a default region for national numbers) and email checks. */
public final class Addresses {
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** A practical address check (RFC 5321 lengths, one @, a dotted domain, no spaces or brackets). */
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private final String defaultRegion;

    public Addresses(String defaultRegion) {
        this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    }

    /** E.164, or empty if the number is not a valid number. */
    public Optional<String> phone(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber n = PHONES.parse(raw.trim(), defaultRegion);
            if (!PHONES.isValidNumber(n)) {
                return Optional.empty();
            }
            return Optional.of(PHONES.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Lower-cased address, or empty if it is not a usable address. */
    public Optional<String> email(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String s = raw.trim();
        if (s.length() > 254 || !EMAIL.matcher(s).matches() || s.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(s.toLowerCase(Locale.ROOT));
    }
}
