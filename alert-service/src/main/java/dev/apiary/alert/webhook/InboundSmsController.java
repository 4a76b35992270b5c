package dev.apiary.alert.webhook;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import com.twilio.security.RequestValidator;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Message;

import dev.apiary.alert.config.AlertProperties;
import dev.apiary.alert.core.Addresses;
import dev.apiary.alert.core.Keyword;
import dev.apiary.alert.optout.OptOutAudit;
import dev.apiary.alert.optout.OptOutChannel;
import dev.apiary.alert.optout.OptOutProperties;
import dev.apiary.alert.optout.OptOutScopes;
import dev.apiary.alert.optout.OptOuts;
import dev.apiary.common.web.ApiProblem;

/**
 * Twilio's incoming-message webhook (the "A message comes in" URL of the schools' numbers or Messaging Service):
 * STOP and its synonyms put the sender's number on the school's list, START / YES / UNSTOP take it off, HELP / INFO
 * get the school's help text. Signed like the status callbacks ({@code X-Twilio-Signature}); the answer is TwiML.
 */
@RestController
public class InboundSmsController {
    private static final Logger log = LoggerFactory.getLogger(InboundSmsController.class);
    static final String CLIENT = "twilio-inbound";

    private final RequestValidator validator;
    private final String publicBaseUrl;
    private final OptOuts optOuts;
    private final OptOutScopes scopes;
    private final OptOutProperties settings;
    private final OptOutAudit audit;
    private final Addresses addresses;

    public InboundSmsController(AlertProperties props, OptOuts optOuts, OptOutScopes scopes,
                                OptOutProperties settings, OptOutAudit audit) {
        this.validator = new RequestValidator(props.twilio().authToken());
        this.publicBaseUrl = props.publicBaseUrl().replaceAll("/+$", "");
        this.optOuts = optOuts;
        this.scopes = scopes;
        this.settings = settings;
        this.audit = audit;
        this.addresses = new Addresses(props.defaultRegion());
    }

    @PostMapping(value = "/api/alerts/v1/webhooks/twilio/inbound",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE, produces = MediaType.APPLICATION_XML_VALUE)
    public ResponseEntity<String> inbound(HttpServletRequest request,
            @RequestHeader(value = "X-Twilio-Signature", required = false) String signature) {
        Map<String, String> params = WebhookController.bodyParams(request);
        if (signature == null || !validator.validate(WebhookController.signedUrl(publicBaseUrl, request), params, signature)) {
            log.warn("twilio inbound message with an invalid signature rejected");
            throw ApiProblem.of(HttpStatus.FORBIDDEN, "Forbidden", "invalid X-Twilio-Signature");
        }
        String from = params.get("From");
        String number = from == null ? null : addresses.phone(from).orElse(null);
        Keyword keyword = Keyword.of(params.get("Body"));
        String scope = scopes.forInbound(params.get("To"), params.get("MessagingServiceSid"));
        MessagingResponse.Builder answer = new MessagingResponse.Builder();
        if (number != null) {
            switch (keyword) {
                case OPT_OUT -> {
                    if (optOuts.add(scope, OptOutChannel.SMS, number, "sms_stop")) {
                        audit.record(scope, CLIENT, null, "opt_out.added", OptOutChannel.SMS, number, "sms_stop");
                    }
                    log.info("inbound opt-out for list {}", scope);
                }
                case OPT_IN -> {
                    if (optOuts.remove(scope, OptOutChannel.SMS, number)) {
                        audit.record(scope, CLIENT, null, "opt_out.removed", OptOutChannel.SMS, number, "sms_start");
                    }
                    log.info("inbound opt-in for list {}", scope);
                }
                case HELP -> answer.message(new Message.Builder(settings.helpText(
                        OptOutScopes.SHARED.equals(scope) ? null : scope)).build());
                case NONE -> {
                }
            }
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(answer.build().toXml());
    }
}
