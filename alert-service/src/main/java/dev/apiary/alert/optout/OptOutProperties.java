package dev.apiary.alert.optout;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Opt-out settings ({@code apiary.alert.opt-outs.*}).
 *
 * @param helpText     the answer to HELP / INFO for a school without its own
 * @param helpTexts    school id → its answer to HELP
 * @param auditEntries audit entries kept per school (older ones are dropped)
 */
@ConfigurationProperties("apiary.alert.opt-outs")
public record OptOutProperties(
        @DefaultValue("School alerts. Reply STOP to stop these texts, START to get them again.") String helpText,
        @DefaultValue Map<String, String> helpTexts,
        @DefaultValue("10000") long auditEntries) {

    public String helpText(String schoolId) {
        String t = schoolId == null ? null : helpTexts.get(schoolId);
        return t == null || t.isBlank() ? helpText : t;
    }
}
