package io.ssegateway.server;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.auth.AccessTokenVerifier;
import io.ssegateway.auth.AuthException;
import io.ssegateway.auth.TokenSigner;
import io.ssegateway.auth.TokenVerifier;
import io.ssegateway.config.AuthSettings;
import io.ssegateway.config.ConfigException;
import io.ssegateway.config.ConfigFile;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.MercureSettings;
import io.ssegateway.config.Setting;
import io.ssegateway.config.SettingType;
import io.ssegateway.mercure.AuthorizationDetails;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code sse-gateway token}: prints one token signed for this gateway's key settings (the same flags,
 * {@code SSE_*} variables and {@code --config} file the gateway reads), checked with the gateway's
 * own verifier before it is printed. The token alone goes to standard output, so that
 * {@code TOKEN=$(sse-gateway token ...)} works; what it allows goes to standard error.
 */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a signed token that this gateway accepts, for the key it is configured with.",
        "  TOKEN=$(java -jar sse-gateway.jar token --auth-hs256-secret-file /etc/sse-gateway/secret --publish 'news.*')",
        "  curl -H \"Authorization: Bearer $TOKEN\" -d hello 'localhost:8080/publish?topic=news.sport'"})
final class TokenCommand implements Callable<Integer> {
    private static final SettingType<Duration> TTL = SettingType.duration(Duration.ofSeconds(10), Duration.ofDays(366));
    /** The gateway's settings that decide how a token is signed and what its iss and aud are. */
    private static final List<Setting> KEY_SETTINGS = List.of(Setting.AUTH_HS256_SECRET_FILE, Setting.AUTH_PUBLIC_KEY_FILE,
        Setting.AUTH_JWKS_FILE, Setting.AUTH_ISSUER, Setting.AUTH_AUDIENCE, Setting.MERCURE_URL, Setting.MERCURE_ISSUERS);

    @Option(names = "--publish", paramLabel = "PATTERN", description = "A topic pattern the token may publish to "
        + "(* within a segment, ** across /); repeat for more. With --mercure: a topic, urlpattern:PATTERN, or *.")
    List<String> publish = new ArrayList<>();

    @Option(names = "--subscribe", paramLabel = "PATTERN", description = "A topic pattern the token may subscribe to "
        + "(private topics); repeat for more. With --mercure: as --publish.")
    List<String> subscribe = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h",
        description = "How long the token is valid: 30s, 15m, 1h, 24h (default ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--mercure", description = "A Mercure access token (typ at+jwt; aud mercure-url, iss the first of "
        + "mercure-issuers, authorization_details) instead of a token for /events and /publish.")
    boolean mercure;

    @Option(names = "--subject", paramLabel = "SUB", defaultValue = "sse-gateway-token",
        description = "The token's sub (default ${DEFAULT-VALUE}).")
    String subject;

    @Option(names = "--private-key-file", paramLabel = "FILE", description = "Sign with this PEM private key (RSA: RS256, "
        + "EC P-256: ES256), the private half of auth-public-key-file or of a key in auth-jwks-file; "
        + "without it the HS256 secret signs.")
    Path privateKeyFile;

    @Option(names = "--kid", paramLabel = "KID", description = "The key id to name in the header (for auth-jwks-file).")
    String kid;

    @Option(names = "--config", paramLabel = "FILE", description = "The gateway's configuration file.")
    Path config;

    /** Where picocli keeps what was parsed, the key settings' options among it. */
    @Spec
    CommandSpec spec;

    /** The command with the gateway's own options for the settings that make and check a token. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TokenCommand());
        KEY_SETTINGS.forEach(s -> cl.getCommandSpec().addOption(Main.settingOption(s)));
        return cl;
    }

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        if (publish.isEmpty() && subscribe.isEmpty()) {
            err.println("sse-gateway token: say what the token allows: --publish PATTERN and/or --subscribe PATTERN");
            return 2;
        }
        Duration validFor;
        try {
            validFor = TTL.parse(ttl);
        } catch (IllegalArgumentException e) {
            err.println("sse-gateway token: --ttl " + ttl + ": " + e.getMessage());
            return 2;
        }
        try {
            GatewayConfig settings = settings();
            AuthSettings auth = settings.auth();
            TokenSigner signer = privateKeyFile != null ? TokenSigner.privateKey(PemCredentials.privateKey(privateKeyFile), kid)
                : TokenSigner.hs256(auth);
            Instant now = Instant.now();
            String token = mercure ? mercureToken(signer, auth, settings.mercure(), now, validFor)
                : gatewayToken(signer, auth, now, validFor);
            out.println(token);
            err.println("sse-gateway token: " + (mercure ? "Mercure access token" : "token") + " valid until "
                + now.plus(validFor) + "; publish " + publish + ", subscribe " + subscribe);
            return 0;
        } catch (ConfigException e) {
            err.println("sse-gateway token: " + e.getMessage());
            return 1;
        } catch (AuthException e) {
            err.println("sse-gateway token: the gateway would refuse this token (" + e.getMessage() + "): does the signing "
                + "key match the key the gateway verifies with, and are iss and aud its settings?");
            return 1;
        }
    }

    /** The gateway's settings as it would resolve them: these flags, system properties, SSE_* variables, the file. */
    private GatewayConfig settings() {
        Map<String, String> flags = Main.settingFlags(spec.commandLine().getParseResult(), KEY_SETTINGS);
        ConfigFile file = config == null ? ConfigFile.NONE : ConfigFile.read(config);
        return GatewayConfig.resolve(flags, file, GatewayConfig.systemProperties(), System.getenv(), Map.of());
    }

    /** A token for /events and /publish: the publish and subscribe claims, and iss and aud if the gateway requires them. */
    @SuppressWarnings("JavaUtilDate") // Nimbus takes Date
    private String gatewayToken(TokenSigner signer, AuthSettings auth, Instant now, Duration validFor) throws AuthException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(validFor))).claim("publish", publish).claim("subscribe", subscribe);
        if (!auth.issuer().isEmpty()) {
            claims.issuer(auth.issuer());
        }
        if (!auth.audience().isEmpty()) {
            claims.audience(auth.audience());
        }
        String token = signer.sign(JOSEObjectType.JWT, claims.build());
        TokenVerifier verifier = TokenVerifier.fromConfig(auth);
        if (verifier != null) {
            verifier.verify(token);
        }
        return token;
    }

    /** A Mercure access token (RFC 9068 profile, as the Mercure door verifies it). */
    @SuppressWarnings("JavaUtilDate") // Nimbus takes Date
    private String mercureToken(TokenSigner signer, AuthSettings auth, MercureSettings door, Instant now, Duration validFor)
        throws AuthException {
        if (door.issuers().isEmpty()) {
            throw new ConfigException("set --mercure-issuers (SSE_MERCURE_ISSUERS): the Mercure door accepts tokens only "
                + "from the issuers it lists, and the token's iss is the first of them");
        }
        String iss = door.issuers().get(0);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(iss).audience(door.hubUrl().toString()).subject(subject)
            .claim("client_id", subject).issueTime(Date.from(now)).jwtID(UUID.randomUUID().toString())
            .expirationTime(Date.from(now.plus(validFor)))
            .claim("authorization_details", AuthorizationDetails.of(publish, subscribe)).build();
        String token = signer.sign(new JOSEObjectType("at+jwt"), claims);
        AccessTokenVerifier verifier = AccessTokenVerifier.fromConfig(auth, door.hubUrl().toString(), door.issuers());
        if (verifier != null) {
            verifier.verify(token);
        }
        return token;
    }
}
