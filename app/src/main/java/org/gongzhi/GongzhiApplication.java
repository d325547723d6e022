package org.gongzhi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Gongzhi (共治): the river-outfall (入河排污口) supervision platform. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GongzhiApplication {

    public static void main(String[] args) {
        SpringApplication.run(GongzhiApplication.class, args);
    }
}
