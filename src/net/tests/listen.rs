//! Listen addresses: classes, host and port ranges, the separate-host form.

use super::*;
use AllInterfacesSpelling as Spelling;

#[test]
fn listen_ipv4_unspecified_with_port_is_all_interfaces() {
    let text = "0.0.0.0:8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
    assert_eq!(at(text, &addr.host), "0.0.0.0");
    assert_eq!(port_text(text, &addr), "8080");
    assert_eq!(addr.port.unwrap().number(), Some(8080));
}

#[test]
fn listen_ipv4_unspecified_without_port_is_all_interfaces() {
    let text = "0.0.0.0";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
    assert_eq!(at(text, &addr.host), "0.0.0.0");
    assert_eq!(addr.port, None);
}

#[test]
fn listen_empty_host_before_port_is_all_interfaces() {
    let text = ":8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::EmptyHost));
    assert_eq!(addr.host, 0..0);
    assert_eq!(port_text(text, &addr), "8080");
}

#[test]
fn listen_bare_port_is_port_only_with_insertion_point() {
    let text = "8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::PortOnly);
    assert_eq!(addr.host, 0..0);
    assert_eq!(port_text(text, &addr), "8080");
    assert_eq!(addr.port.unwrap().value, PortValue::Number(8080));
}

#[test]
fn listen_loopback_forms() {
    for text in [
        "127.0.0.1:8080",
        "127.0.0.53:53",
        "localhost:8080",
        "LOCALHOST:1",
        "localhost.:80",
    ] {
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Loopback, "{text}");
        let colon = text.rfind(':').unwrap();
        assert_eq!(addr.host, 0..colon, "{text}");
    }
}

#[test]
fn listen_bracketed_ipv6_unspecified_range_includes_brackets() {
    let text = "[::]:8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv6Unspecified));
    assert_eq!(at(text, &addr.host), "[::]");
    assert_eq!(port_text(text, &addr), "8080");
    let mut fixed = text.to_string();
    fixed.replace_range(addr.host, "127.0.0.1");
    assert_eq!(fixed, "127.0.0.1:8080");
}

#[test]
fn listen_bracketed_ipv6_loopback() {
    let text = "[::1]:8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::Loopback);
    assert_eq!(at(text, &addr.host), "[::1]");
    assert_eq!(port_text(text, &addr), "8080");
}

#[test]
fn listen_unbracketed_ipv6_without_port() {
    let unspecified = parse_listen_address("::");
    assert_eq!(
        unspecified.class,
        ListenClass::AllInterfaces(Spelling::Ipv6Unspecified)
    );
    assert_eq!(unspecified.host, 0..2);
    assert_eq!(unspecified.port, None);
    let loopback = parse_listen_address("::1");
    assert_eq!(loopback.class, ListenClass::Loopback);
    assert_eq!(loopback.port, None);
}

#[test]
fn listen_triple_colon_reads_as_ipv6_unspecified_and_port() {
    let text = ":::8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv6Unspecified));
    assert_eq!(at(text, &addr.host), "::");
    assert_eq!(port_text(text, &addr), "8080");
}

#[test]
fn listen_ipv4_mapped_forms() {
    let mapped_zero = parse_listen_address("::ffff:0.0.0.0");
    assert_eq!(
        mapped_zero.class,
        ListenClass::AllInterfaces(Spelling::Ipv4MappedUnspecified)
    );
    assert_eq!(mapped_zero.port, None);
    let text = "[::ffff:0.0.0.0]:80";
    let bracketed = parse_listen_address(text);
    assert_eq!(
        bracketed.class,
        ListenClass::AllInterfaces(Spelling::Ipv4MappedUnspecified)
    );
    assert_eq!(at(text, &bracketed.host), "[::ffff:0.0.0.0]");
    assert_eq!(
        parse_listen_address("[::ffff:127.0.0.1]").class,
        ListenClass::Loopback
    );
    assert_eq!(
        parse_listen_address("[::ffff:10.0.0.1]:80").class,
        ListenClass::SpecificAddress
    );
}

#[test]
fn listen_star_and_plus_are_wildcards() {
    for text in ["*:8080", "+:80", "http://*:5000", "http://+:80/"] {
        let addr = parse_listen_address(text);
        assert_eq!(
            addr.class,
            ListenClass::AllInterfaces(Spelling::Wildcard),
            "{text}"
        );
        assert!(matches!(at(text, &addr.host), "*" | "+"), "{text}");
    }
}

#[test]
fn listen_scheme_prefix_is_skipped_with_exact_host_range() {
    let text = "tcp://0.0.0.0:5000";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
    assert_eq!(addr.host, 6..13);
    assert_eq!(at(text, &addr.host), "0.0.0.0");
    assert_eq!(port_text(text, &addr), "5000");
    let kestrel = "http://[::]:8080/";
    let addr = parse_listen_address(kestrel);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv6Unspecified));
    assert_eq!(port_text(kestrel, &addr), "8080");
}

#[test]
fn listen_unix_socket_is_not_a_network_bind() {
    for (text, path) in [
        ("unix:/tmp/sock", "/tmp/sock"),
        ("unix:///run/app.sock", "/run/app.sock"),
        ("UNIX:app.sock", "app.sock"),
        ("/run/gunicorn.sock", "/run/gunicorn.sock"),
    ] {
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Unix, "{text}");
        assert_eq!(at(text, &addr.host), path);
        assert_eq!(addr.port, None);
    }
}

#[test]
fn listen_inherited_socket_is_unknown() {
    assert_eq!(parse_listen_address("fd://3").class, ListenClass::Unknown);
}

#[test]
fn listen_placeholder_host_is_unknown() {
    let whole = "$BIND_ADDRESS";
    let addr = parse_listen_address(whole);
    assert_eq!(addr.class, ListenClass::Unknown);
    assert_eq!(at(whole, &addr.host), whole);
    assert_eq!(addr.port, None);

    let text = "${HOST}:8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::Unknown);
    assert_eq!(at(text, &addr.host), "${HOST}");
    assert_eq!(addr.port.unwrap().value, PortValue::Number(8080));

    let default = "${HOST:-0.0.0.0}:8080";
    let addr = parse_listen_address(default);
    assert_eq!(addr.class, ListenClass::Unknown);
    assert_eq!(at(default, &addr.host), "${HOST:-0.0.0.0}");
    assert_eq!(port_text(default, &addr), "8080");
}

#[test]
fn listen_placeholder_port_keeps_host_class() {
    let text = "0.0.0.0:$PORT";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
    assert_eq!(port_text(text, &addr), "$PORT");
    assert_eq!(addr.port.unwrap().value, PortValue::Unknown);
    let braces = "127.0.0.1:${var.port}";
    let addr = parse_listen_address(braces);
    assert_eq!(addr.class, ListenClass::Loopback);
    assert_eq!(port_text(braces, &addr), "${var.port}");
}

#[test]
fn listen_hostname_starting_with_zeros_is_not_all_interfaces() {
    let text = "0.0.0.0.example.com:80";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::Hostname);
    assert_eq!(at(text, &addr.host), "0.0.0.0.example.com");
}

#[test]
fn listen_zero_shorthand_is_all_interfaces() {
    let text = "0:8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Shorthand));
    assert_eq!(at(text, &addr.host), "0");
    assert_eq!(
        parse_listen_address("0.0:80").class,
        ListenClass::AllInterfaces(Spelling::Ipv4Shorthand)
    );
    assert_eq!(parse_listen_address("127.1:80").class, ListenClass::Loopback);
}

#[test]
fn listen_private_ip_is_specific_address() {
    let text = "10.0.1.5:8080";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::SpecificAddress);
    assert_eq!(at(text, &addr.host), "10.0.1.5");
    assert_eq!(
        parse_listen_address("[fe80::1%eth0]:80").class,
        ListenClass::SpecificAddress
    );
}

#[test]
fn listen_hostname_is_hostname() {
    let addr = parse_listen_address("myhost:8080");
    assert_eq!(addr.class, ListenClass::Hostname);
    assert_eq!(addr.host, 0..6);
}

#[test]
fn listen_invalid_inputs() {
    for text in [
        "",
        "   ",
        "[::1",
        "[::1]x",
        "1.2.3.4.5:80",
        "a b:80",
        "1:2:3",
        "[zz]:80",
    ] {
        assert_eq!(parse_listen_address(text).class, ListenClass::Invalid, "{text:?}");
    }
}

#[test]
fn listen_bad_port_is_invalid_port_not_invalid_host() {
    let text = "127.0.0.1:99999";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::Loopback);
    assert_eq!(addr.port.as_ref().unwrap().value, PortValue::Invalid);
    assert_eq!(port_text(text, &addr), "99999");
    let empty = parse_listen_address("0.0.0.0:");
    assert_eq!(empty.port.unwrap().value, PortValue::Invalid);
}

#[test]
fn listen_surrounding_whitespace_keeps_ranges_in_input() {
    let text = "  0.0.0.0:80 \n";
    let addr = parse_listen_address(text);
    assert_eq!(addr.host, 2..9);
    assert_eq!(at(text, &addr.host), "0.0.0.0");
    assert_eq!(port_text(text, &addr), "80");
}

#[test]
fn listen_non_ascii_hostname_ranges_are_char_boundaries() {
    let text = "bücher:80";
    let addr = parse_listen_address(text);
    assert_eq!(addr.class, ListenClass::Hostname);
    assert_eq!(at(text, &addr.host), "bücher");
    assert_eq!(port_text(text, &addr), "80");
}

#[test]
fn listen_host_helper_classifies_separate_host_arguments() {
    let cases = [
        ("0.0.0.0", ListenClass::AllInterfaces(Spelling::Ipv4Unspecified)),
        ("::", ListenClass::AllInterfaces(Spelling::Ipv6Unspecified)),
        ("[::]", ListenClass::AllInterfaces(Spelling::Ipv6Unspecified)),
        ("", ListenClass::AllInterfaces(Spelling::EmptyHost)),
        (" 0.0.0.0 ", ListenClass::AllInterfaces(Spelling::Ipv4Unspecified)),
        ("*", ListenClass::AllInterfaces(Spelling::Wildcard)),
        ("127.0.0.1", ListenClass::Loopback),
        ("::1", ListenClass::Loopback),
        ("localhost", ListenClass::Loopback),
        ("10.1.2.3", ListenClass::SpecificAddress),
        ("web", ListenClass::Hostname),
        ("${var.host}", ListenClass::Unknown),
        ("os.environ", ListenClass::Hostname),
        ("0.0.0.0:80", ListenClass::Invalid),
    ];
    for (host, want) in cases {
        assert_eq!(classify_listen_host(host), want, "{host:?}");
    }
}

#[test]
fn all_interfaces_spelling_describes_itself() {
    assert_eq!(Spelling::Ipv4Unspecified.describe(), "0.0.0.0");
    assert_eq!(Spelling::Ipv6Unspecified.describe(), "::");
    assert_eq!(Spelling::EmptyHost.describe(), "an empty host");
    assert_ne!(Spelling::Wildcard.describe(), Spelling::Ipv4Shorthand.describe());
    assert_eq!(Spelling::Ipv4MappedUnspecified.describe(), "::ffff:0.0.0.0");
}
