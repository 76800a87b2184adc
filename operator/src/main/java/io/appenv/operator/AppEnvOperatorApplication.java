package io.appenv.operator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class AppEnvOperatorApplication {
  public static void main(String[] args) {
    SpringApplication.run(AppEnvOperatorApplication.class, args);
  }
}
