package demo.publishing;

import io.ssegateway.spring.GatewayPublisher;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An application whose own code publishes: a controller that calls the starter's publisher bean. */
@SpringBootApplication
public class PublishingApplication {
    public static void main(String[] args) {
        SpringApplication.run(PublishingApplication.class, args);
    }

    @RestController
    static class Greetings {
        private final GatewayPublisher events;

        Greetings(GatewayPublisher events) {
            this.events = events;
        }

        // GET so that the test needs no CSRF token under Spring Security; a real form would POST.
        @GetMapping("/greet")
        String greet(@RequestParam("name") String name) {
            return events.publish("greetings", "hello " + name).id();
        }

        /** A method the gateway itself never serves: the application's own controllers keep it. */
        @PutMapping("/greet")
        String rename(@RequestParam("name") String name) {
            return "renamed " + name;
        }
    }
}
