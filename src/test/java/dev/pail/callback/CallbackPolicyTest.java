package dev.pail.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackPolicyTest {
    static InetAddress ip(String s) { return InetAddress.ofLiteral(s); }

    @Test
    void defaultsAllowLoopbackAndPrivateButNotLinkLocalOrMetadata() {
        CallbackPolicy p = CallbackPolicy.defaults();
        assertThat(p.permits("localhost", ip("127.0.0.1"))).isTrue();
        assertThat(p.permits("h", ip("::1"))).isTrue();
        assertThat(p.permits("h", ip("10.1.2.3"))).isTrue();
        assertThat(p.permits("h", ip("93.184.216.34"))).isTrue();
        assertThat(p.permits("h", ip("169.254.169.254"))).isFalse();
        assertThat(p.permits("h", ip("169.254.1.1"))).isFalse();
        assertThat(p.permits("h", ip("100.100.100.200"))).isFalse();
        assertThat(p.permits("h", ip("100.100.100.201"))).isTrue();
        assertThat(p.permits("h", ip("fd00:ec2::254"))).isFalse();
        assertThat(p.permits("h", ip("fe80::1"))).isFalse();
        assertThat(p.permits("h", ip("::ffff:169.254.169.254"))).isFalse(); // IPv4-mapped
        assertThat(p.permits("h", ip("::169.254.169.254"))).isFalse();      // IPv4-compatible
        assertThat(p.permits("h", ip("64:ff9b::a9fe:a9fe"))).isFalse();     // NAT64 of 169.254.169.254
    }

    @Test
    void allowListAdmitsOnlyMatches() {
        CallbackPolicy p = new CallbackPolicy(List.of("127.0.0.0/8", "10.0.0.7", "hooks.example.com", "*.svc.local", "fd00::/8"));
        assertThat(p.permits("anything", ip("127.0.0.1"))).isTrue();
        assertThat(p.permits("anything", ip("127.255.0.9"))).isTrue();
        assertThat(p.permits("anything", ip("10.0.0.7"))).isTrue();
        assertThat(p.permits("anything", ip("10.0.0.8"))).isFalse();
        assertThat(p.permits("anything", ip("::1"))).isFalse();
        assertThat(p.permits("HOOKS.example.com.", ip("93.184.216.34"))).isTrue();
        assertThat(p.permits("a.b.svc.local", ip("93.184.216.34"))).isTrue();
        assertThat(p.permits("svc.local", ip("93.184.216.34"))).isFalse();
        assertThat(p.permits("other.example.com", ip("93.184.216.34"))).isFalse();
        assertThat(p.permits("anything", ip("fd12::1"))).isTrue();
        // a listed name does not admit the metadata service
        assertThat(p.permits("hooks.example.com", ip("169.254.169.254"))).isFalse();
    }

    @Test
    void metadataOnlyByExplicitAddress() {
        assertThat(new CallbackPolicy(List.of("169.254.169.254")).permits("h", ip("169.254.169.254"))).isTrue();
        assertThat(new CallbackPolicy(List.of("169.254.0.0/16")).permits("h", ip("169.254.169.254"))).isTrue();
        assertThat(new CallbackPolicy(List.of("0.0.0.0/0")).permits("h", ip("100.100.100.200"))).isTrue();
        assertThat(new CallbackPolicy(List.of("127.0.0.0/8")).permits("h", ip("169.254.169.254"))).isFalse();
    }

    @Test
    void badEntriesAreRejected() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0.0/x", "::/129", "a b", "", "bad/name", "999.1.1.1")) {
            assertThatThrownBy(() -> new CallbackPolicy(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
