package dev.apiary.alert.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.apiary.alert.core.Channel;
import dev.apiary.alert.core.Voices;
import dev.apiary.common.web.ApiProblem;

/** Checks a create request: 400 naming every bad field (snake_case), before anything is written. */
final class AlertValidation {
    static final int SMS_MAX = 1600;
    static final int VOICE_MAX = 4000;
    static final int TEXT_MAX = 100_000;

    private final int maxRecipients;
    private final String defaultLanguage;

    AlertValidation(int maxRecipients, String defaultLanguage) {
        this.maxRecipients = maxRecipients;
        this.defaultLanguage = defaultLanguage;
    }

    /** The request's channels, in order, without repeats. */
    List<Channel> validate(AlertRequest req) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        if (req.schoolId() == null || req.schoolId().isBlank()) {
            errors.add(new ApiProblem.FieldError("school_id", "is required"));
        } else if (!req.schoolId().trim().matches("[A-Za-z0-9_.-]{1,64}")) {
            errors.add(new ApiProblem.FieldError("school_id", "letters, digits, '_', '.', '-' only (max 64)"));
        }
        List<Channel> channels = channels(req, errors);
        text(req, channels, errors);
        if (req.language() != null && !req.language().isBlank() && !Voices.supported(req.language())) {
            errors.add(new ApiProblem.FieldError("language", "not a supported language (a BCP 47 tag with a voice,"
                    + " like en, en-US or es-MX)"));
        }
        String alertLanguage = req.language() == null || req.language().isBlank() ? defaultLanguage : req.language();
        dev.apiary.alert.core.Translations.check(req.translations(), channels, alertLanguage)
                .forEach(p -> errors.add(new ApiProblem.FieldError(p.field(), p.message())));
        recipients(req, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
        return channels;
    }

    private static List<Channel> channels(AlertRequest req, List<ApiProblem.FieldError> errors) {
        List<Channel> channels = new ArrayList<>();
        if (req.channels() == null || req.channels().isEmpty()) {
            errors.add(new ApiProblem.FieldError("channels", "at least one of email, sms, voice"));
            return channels;
        }
        for (int i = 0; i < req.channels().size(); i++) {
            var c = Channel.parse(req.channels().get(i));
            if (c.isEmpty()) {
                errors.add(new ApiProblem.FieldError("channels[" + i + "]", "unknown channel (email, sms, voice)"));
            } else if (!channels.contains(c.get())) {
                channels.add(c.get());
            }
        }
        return channels;
    }

    private static void text(AlertRequest req, List<Channel> channels, List<ApiProblem.FieldError> errors) {
        String text = req.text();
        if (text == null || text.isBlank()) {
            if (channels.contains(Channel.SMS) || channels.contains(Channel.EMAIL)
                    || req.voiceText() == null || req.voiceText().isBlank()) {
                errors.add(new ApiProblem.FieldError("text", "is required"));
            }
        } else if (channels.contains(Channel.SMS) && text.length() > SMS_MAX) {
            errors.add(new ApiProblem.FieldError("text", "too long for sms: " + text.length() + " > " + SMS_MAX + " characters"));
        } else if (text.length() > TEXT_MAX) {
            errors.add(new ApiProblem.FieldError("text", "at most " + TEXT_MAX + " characters"));
        }
        if (channels.contains(Channel.EMAIL) && (req.subject() == null || req.subject().isBlank())) {
            errors.add(new ApiProblem.FieldError("subject", "is required for email"));
        } else if (req.subject() != null && req.subject().length() > 998) {
            errors.add(new ApiProblem.FieldError("subject", "at most 998 characters"));
        }
        if (channels.contains(Channel.VOICE)) {
            String v = req.voiceText() == null || req.voiceText().isBlank() ? text : req.voiceText();
            if (v != null && v.length() > VOICE_MAX) {
                errors.add(new ApiProblem.FieldError(req.voiceText() == null ? "text" : "voice_text",
                        "too long for voice: at most " + VOICE_MAX + " characters"));
            }
        }
        if (req.html() != null && req.html().length() > 500_000) {
            errors.add(new ApiProblem.FieldError("html", "at most 500000 characters"));
        }
    }

    private void recipients(AlertRequest req, List<ApiProblem.FieldError> errors) {
        if (req.recipients() == null || req.recipients().isEmpty()) {
            errors.add(new ApiProblem.FieldError("recipients", "at least one recipient"));
            return;
        }
        if (req.recipients().size() > maxRecipients) {
            errors.add(new ApiProblem.FieldError("recipients", "at most " + maxRecipients + " recipients"));
            return;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < req.recipients().size() && errors.size() < 50; i++) {
            var r = req.recipients().get(i);
            String at = "recipients[" + i + "]";
            if (r == null) {
                errors.add(new ApiProblem.FieldError(at, "must be an object"));
                continue;
            }
            if (r.id() == null || r.id().isBlank()) {
                errors.add(new ApiProblem.FieldError(at + ".id", "is required"));
            } else if (r.id().length() > 64) {
                errors.add(new ApiProblem.FieldError(at + ".id", "at most 64 characters"));
            } else if (!ids.add(r.id().trim())) {
                errors.add(new ApiProblem.FieldError(at + ".id", "duplicate recipient id"));
            }
            if (r.name() != null && r.name().length() > 200) {
                errors.add(new ApiProblem.FieldError(at + ".name", "at most 200 characters"));
            }
            if (r.language() != null && !r.language().isBlank() && !Voices.supported(r.language())) {
                errors.add(new ApiProblem.FieldError(at + ".language", "not a supported language (a BCP 47 tag with"
                        + " a voice, like en, en-US or es-MX)"));
            }
        }
    }
}
