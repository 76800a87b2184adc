package io.appenv.telemetry.ops;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tests replace the random source with a @Primary bean of their own. */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

  @Bean
  RandomSource randomSource() {
    return RandomSource.threadLocal();
  }
}
