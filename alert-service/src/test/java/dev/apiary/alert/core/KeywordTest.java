package dev.apiary.alert.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "STOP|OPT_OUT", "stop|OPT_OUT", "'  Stop \n'|OPT_OUT", "STOPALL|OPT_OUT", "unsubscribe|OPT_OUT",
            "Cancel|OPT_OUT", "END|OPT_OUT", "quit|OPT_OUT",
            "START|OPT_IN", "yes|OPT_IN", "UnStop|OPT_IN", "'\tstart '|OPT_IN",
            "HELP|HELP", "info|HELP",
            "STOP PLEASE|NONE", "please cancel|NONE", "STOP ALL|NONE", "STOP.|NONE", "''|NONE", "S TOP|NONE",
            "stopp|NONE", "Is school open?|NONE"})
    void onlyAWholeSingleWordKeywordCountsInAnyCase(String body, Keyword expected) {
        assertThat(Keyword.of(body)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void nullIsNoKeyword() {
        assertThat(Keyword.of(null)).isEqualTo(Keyword.NONE);
    }
}
