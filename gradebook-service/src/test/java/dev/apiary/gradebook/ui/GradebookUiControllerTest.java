package dev.apiary.gradebook.ui;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class GradebookUiControllerTest {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new GradebookUiController()).build();

    @Test
    void sectionRouteServesTheApp() throws Exception {
        mvc.perform(get("/gradebook/sections/101"))
                .andExpect(status().isOk())
                .andExpect(forwardedUrl("/gradebook/index.html"))
                .andExpect(header().string("Cache-Control", "no-cache"));
        mvc.perform(get("/gradebook/sections/101/")).andExpect(forwardedUrl("/gradebook/index.html"));
        mvc.perform(get("/gradebook/")).andExpect(forwardedUrl("/gradebook/index.html"));
    }

    @Test
    void otherPathsAreNotTheApp() throws Exception {
        mvc.perform(get("/gradebook/sections/abc")).andExpect(status().isNotFound());
        mvc.perform(get("/gradebook/other")).andExpect(status().isNotFound());
    }
}
