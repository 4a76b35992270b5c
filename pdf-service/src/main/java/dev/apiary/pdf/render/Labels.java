package dev.apiary.pdf.render;

import java.text.DecimalFormatSymbols;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * The printed words, dates and numbers of one report in its locale: labels from the bundles
 * {@code labels/report[_xx].properties} (en, es, fr, vi, zh, hi, ar), dates in the locale's medium style and
 * decimals with its separator, digits always Latin ({@code -u-nu-latn}: school data is written with them).
 * Arabic lays the whole card out right to left.
 */
public final class Labels {
    /** The locales with a bundle; the first is the default. */
    public static final List<String> SUPPORTED = List.of("en", "es", "fr", "vi", "zh", "hi", "ar");
    private static final List<String> RTL = List.of("ar", "he", "fa", "ur");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final String tag;
    private final Locale locale;
    private final ResourceBundle bundle;
    private final char decimal;
    private final DateTimeFormatter dates;

    private Labels(String tag) {
        this.tag = tag;
        this.locale = Locale.forLanguageTag(tag);
        this.bundle = ResourceBundle.getBundle("labels.report", Locale.forLanguageTag(language(tag)), NO_FALLBACK);
        Locale latn = new Locale.Builder().setLocale(locale).setUnicodeLocaleKeyword("nu", "latn").build();
        this.decimal = DecimalFormatSymbols.getInstance(latn).getDecimalSeparator();
        this.dates = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(latn);
    }

    /** Whether {@code tag} (a BCP 47 tag such as {@code es} or {@code zh-CN}) has a bundle. */
    public static boolean supported(String tag) {
        return tag != null && SUPPORTED.contains(language(tag));
    }

    /** The labels of {@code tag}; null or blank is English. Call {@link #supported} first. */
    public static Labels of(String tag) {
        return new Labels(tag == null || tag.isBlank() ? SUPPORTED.getFirst() : tag);
    }

    private static String language(String tag) {
        return Locale.forLanguageTag(tag).getLanguage();
    }

    /** The BCP 47 tag (the PDF's document language). */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return locale;
    }

    /** Whether the card is laid out right to left. */
    public boolean rtl() {
        return RTL.contains(locale.getLanguage());
    }

    public String get(String key) {
        return bundle.getString(key);
    }

    public String format(String key, Object... args) {
        MessageFormat f = new MessageFormat(bundle.getString(key), locale);
        return f.format(args);
    }

    /** The default term names (T1-T4 or the locale's). */
    public List<String> termNames() {
        return Arrays.stream(get("term.names").split(",")).map(String::strip).toList();
    }

    /** An ISO date ({@code 2025-06-13}) in the locale's style; anything else as it is. */
    public String date(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return dates.format(LocalDate.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** A number formatted with a '.' ({@link Fmt}) with the locale's decimal separator. */
    public String number(String s) {
        return decimal == '.' || s == null ? s : s.replace('.', decimal);
    }
}
