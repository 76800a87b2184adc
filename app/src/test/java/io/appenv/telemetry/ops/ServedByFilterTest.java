package io.appenv.telemetry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ServedByFilterTest {

  @Test
  void namesThePodThatAnswered() throws Exception {
    MockHttpServletResponse response = answer(new ServedByFilter("telemetry-green-7d9f-x2k4"));

    assertThat(response.getHeader(ServedByFilter.HEADER)).isEqualTo("telemetry-green-7d9f-x2k4");
  }

  @Test
  void withoutAnInstanceNameSendsNoHeader() throws Exception {
    assertThat(answer(new ServedByFilter("")).containsHeader(ServedByFilter.HEADER)).isFalse();
  }

  private static MockHttpServletResponse answer(ServedByFilter filter) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(
        new MockHttpServletRequest("GET", "/api/v1/devices"), response, new MockFilterChain());
    return response;
  }
}
