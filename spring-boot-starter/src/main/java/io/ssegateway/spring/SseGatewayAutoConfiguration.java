package io.ssegateway.spring;

import io.ssegateway.client.GatewayClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;

/**
 * What the starter adds to a Spring Boot application. Without {@code sse-gateway.url}, in a servlet
 * web application: the gateway embedded in the application's container ({@link EmbeddedGateway}),
 * an in-process {@link GatewayPublisher}, the {@code sseGateway} health contributor when Actuator is
 * there, and, with Spring Security, the gateway's paths left to the gateway's own token rules. With
 * {@code sse-gateway.url}: a {@link GatewayClient} for that gateway and a {@link GatewayPublisher}
 * through it. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(SseGatewayProperties.class)
public class SseGatewayAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnExpression("'${sse-gateway.url:}'.isEmpty()")
    static class Embedded {
        @Bean
        EmbeddedGateway sseGateway(ConfigurableEnvironment environment) {
            return new EmbeddedGateway(environment);
        }

        @Bean
        @ConditionalOnMissingBean
        GatewayPublisher gatewayPublisher(EmbeddedGateway gateway) {
            return new EmbeddedPublisher(gateway);
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(HealthIndicator.class)
        static class Health {
            @Bean
            HealthIndicator sseGatewayHealthIndicator(EmbeddedGateway gateway) {
                return new GatewayHealth(gateway);
            }
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(WebSecurityCustomizer.class)
        @ConditionalOnBooleanProperty(name = "sse-gateway.ignore-gateway-paths", matchIfMissing = true)
        static class Security {
            @Bean
            WebSecurityCustomizer sseGatewayPaths() {
                return web -> web.ignoring().requestMatchers(new GatewayPaths());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "sse-gateway", name = "url")
    static class Remote {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        GatewayClient gatewayClient(SseGatewayProperties properties) {
            String token = properties.token();
            return GatewayClient.builder(properties.url()).token(token == null ? null : () -> token).build();
        }

        @Bean
        @ConditionalOnMissingBean
        GatewayPublisher gatewayPublisher(GatewayClient client) {
            return client::publish;
        }
    }
}
