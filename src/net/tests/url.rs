//! URLs: schemes, extents in free text, parts, host classes.

use super::*;

#[test]
fn url_localhost_with_port_and_no_path() {
    let text = "http://localhost:8080";
    let url = only_url(text);
    assert_eq!(url.range, 0..text.len());
    assert_eq!(url.scheme, Some(Scheme::Http));
    assert_eq!(url.host_class, HostClass::Loopback);
    assert_eq!(at(text, &url.host), "localhost");
    assert_eq!(at(text, &url.port.as_ref().unwrap().range), "8080");
    assert_eq!(url.effective_port(), Some(8080));
    assert_eq!(url.path, text.len()..text.len());
    assert_eq!(url.userinfo, None);
}

#[test]
fn url_path_query_and_fragment_range() {
    let text = "http://backend:8080/api/v1?x=1&y=2#top";
    let url = only_url(text);
    assert_eq!(at(text, &url.path), "/api/v1?x=1&y=2#top");
    assert_eq!(url.host_class, HostClass::BareName);
    assert_eq!(at(text, &url.host), "backend");
    let query_only = "http://backend?x=1";
    let url = only_url(query_only);
    assert_eq!(at(query_only, &url.host), "backend");
    assert_eq!(at(query_only, &url.path), "?x=1");
}

#[test]
fn url_scheme_default_port_is_derived_not_substituted() {
    let url = only_url("https://api.example.com/v1");
    assert_eq!(url.port, None);
    assert_eq!(url.effective_port(), Some(443));
    assert_eq!(url.host_class, HostClass::Fqdn);
    assert_eq!(only_url("grpc://backend:9000").effective_port(), Some(9000));
    assert_eq!(only_url("grpc://backend").effective_port(), None);
    assert_eq!(only_url("ws://backend").effective_port(), Some(80));
}

#[test]
fn url_every_supported_scheme_is_found() {
    let text = "http://a:81 https://a:82 grpc://a:83 grpcs://a:84 ws://a:85 wss://a:86 tcp://a:87";
    let schemes: Vec<_> = find_urls(text).iter().map(|u| u.scheme.unwrap()).collect();
    assert_eq!(
        schemes,
        [
            Scheme::Http,
            Scheme::Https,
            Scheme::Grpc,
            Scheme::Grpcs,
            Scheme::Ws,
            Scheme::Wss,
            Scheme::Tcp
        ]
    );
}

#[test]
fn url_database_cache_and_broker_schemes_are_found() {
    let text = "redis://a:81 rediss://a:82 amqp://a:83 amqps://a:84 mongodb://a:85 nats://a:86 \
                postgres://a:87 postgresql://a:88 mysql://a:89 mariadb://a:90 sqlserver://a:91";
    let schemes: Vec<_> = find_urls(text)
        .iter()
        .map(|u| u.scheme.unwrap().as_str())
        .collect();
    assert_eq!(
        schemes,
        [
            "redis",
            "rediss",
            "amqp",
            "amqps",
            "mongodb",
            "nats",
            "postgres",
            "postgresql",
            "mysql",
            "mariadb",
            "sqlserver"
        ]
    );
    assert_eq!(only_url("redis://cache").effective_port(), Some(6379));
    assert_eq!(only_url("postgresql://db/app").effective_port(), Some(5432));
    assert_eq!(Scheme::Rediss.plaintext(), Scheme::Redis);
}

#[test]
fn url_jdbc_is_found_by_its_inner_scheme() {
    let text = "jdbc:postgresql://localhost:5432/products?user=app";
    let url = only_url(text);
    assert_eq!(url.scheme, Some(Scheme::Postgresql));
    assert_eq!(
        at(text, &url.range),
        "postgresql://localhost:5432/products?user=app"
    );
    assert_eq!(url.host_class, HostClass::Loopback);
    assert_eq!(url.port.unwrap().number(), Some(5432));
    let sql_server = "jdbc:sqlserver://db:1433;databaseName=x";
    assert_eq!(at(sql_server, &only_url(sql_server).range), "sqlserver://db:1433");
    // A glued word is still not a scheme.
    assert!(find_urls("xpostgresql://db:5432").is_empty());
}

#[test]
fn url_scheme_is_case_insensitive() {
    let text = "HTTPS://Backend/";
    let url = only_url(text);
    assert_eq!(url.scheme, Some(Scheme::Https));
    assert_eq!(at(text, &url.host), "Backend");
    assert_eq!(url.host_class, HostClass::BareName);
}

#[test]
fn url_other_schemes_are_ignored() {
    for text in [
        "ftp://backend:2121/x",
        "file:///etc/hosts",
        "mailto:a@b",
        "jdbc:oracle:thin:@//db:1521/x",
    ] {
        assert_eq!(find_urls(text), Vec::<UrlRef>::new(), "{text}");
    }
}

#[test]
fn url_comma_separated_list_yields_each_url() {
    let text = "http://localhost:1234,http://localhost:1235";
    let urls = find_urls(text);
    assert_eq!(urls.len(), 2);
    assert_eq!(at(text, &urls[0].range), "http://localhost:1234");
    assert_eq!(at(text, &urls[1].range), "http://localhost:1235");
    assert_eq!(urls[0].effective_port(), Some(1234));
    assert_eq!(urls[1].effective_port(), Some(1235));
    assert_eq!(at(text, &urls[1].port.as_ref().unwrap().range), "1235");
}

#[test]
fn url_list_inside_hcl_line_stops_at_quotes() {
    let text = r#"UPSTREAM_URIS = "http://localhost:1234, http://backend:8080/x""#;
    let urls = find_urls(text);
    assert_eq!(urls.len(), 2);
    assert_eq!(at(text, &urls[0].range), "http://localhost:1234");
    assert_eq!(at(text, &urls[1].range), "http://backend:8080/x");
    assert_eq!(urls[1].host_class, HostClass::BareName);
}

#[test]
fn url_space_and_semicolon_separated_lists() {
    let text = "http://a:1 https://b.service.consul;ws://[::1]:9";
    let urls = find_urls(text);
    let found: Vec<_> = urls.iter().map(|u| at(text, &u.range)).collect();
    assert_eq!(found, ["http://a:1", "https://b.service.consul", "ws://[::1]:9"]);
}

#[test]
fn url_comma_in_query_ends_the_url() {
    let text = "http://a/?ids=1,2";
    let url = only_url(text);
    assert_eq!(at(text, &url.range), "http://a/?ids=1");
}

#[test]
fn url_nested_url_in_query_is_part_of_the_outer_one() {
    let text = "http://a/login?next=http://b/";
    let url = only_url(text);
    assert_eq!(url.range, 0..text.len());
}

#[test]
fn url_userinfo_is_separated_from_host() {
    let text = "http://user:pass@host:80/";
    let url = only_url(text);
    assert_eq!(at(text, url.userinfo.as_ref().unwrap()), "user:pass");
    assert_eq!(at(text, &url.host), "host");
    assert_eq!(at(text, &url.port.as_ref().unwrap().range), "80");
    assert_eq!(at(text, &url.path), "/");
    let at_in_password = "http://u:p@ss@backend:8080";
    let url = only_url(at_in_password);
    assert_eq!(at(at_in_password, url.userinfo.as_ref().unwrap()), "u:p@ss");
    assert_eq!(at(at_in_password, &url.host), "backend");
}

#[test]
fn url_ipv6_literal_hosts() {
    let text = "http://[::1]:9090/x";
    let url = only_url(text);
    assert_eq!(at(text, &url.host), "[::1]");
    assert_eq!(url.host_class, HostClass::Loopback);
    assert_eq!(url.effective_port(), Some(9090));
    assert_eq!(at(text, &url.path), "/x");
    assert_eq!(only_url("http://[::]:80").host_class, HostClass::AllInterfaces);
    assert_eq!(
        only_url("http://[::ffff:127.0.0.1]/").host_class,
        HostClass::Loopback
    );
    assert_eq!(
        only_url("http://[fe80::1%25eth0]:80").host_class,
        HostClass::IpAddress
    );
    assert_eq!(only_url("http://[2001:db8::1]").host_class, HostClass::IpAddress);
    assert_eq!(only_url("http://[::1/x").host_class, HostClass::Invalid);
}

#[test]
fn url_ipv4_hosts() {
    assert_eq!(only_url("http://127.0.0.1:8080").host_class, HostClass::Loopback);
    assert_eq!(only_url("http://10.0.0.7:8080").host_class, HostClass::IpAddress);
    assert_eq!(
        only_url("http://0.0.0.0:8080").host_class,
        HostClass::AllInterfaces
    );
    assert_eq!(
        only_url("http://169.254.170.2/v2").host_class,
        HostClass::IpAddress
    );
}

#[test]
fn url_trailing_punctuation_is_not_part_of_the_url() {
    let cases = [
        ("see http://backend:8080/path.", "http://backend:8080/path"),
        ("(http://backend:8080)", "http://backend:8080"),
        ("call http://backend:8080, then", "http://backend:8080"),
        ("<http://backend/>", "http://backend/"),
        ("go to http://backend!", "http://backend"),
        ("at http://localhost:9090:", "http://localhost:9090"),
        ("[http://backend]", "http://backend"),
        ("http://x/wiki/A_(b)", "http://x/wiki/A_(b)"),
        ("'http://backend:80'", "http://backend:80"),
    ];
    for (text, want) in cases {
        let url = only_url(text);
        assert_eq!(at(text, &url.range), want, "{text}");
    }
}

#[test]
fn url_not_detected_inside_words() {
    assert!(find_urls("notahttp://backend:8080").is_empty());
    assert!(find_urls("xhttps://backend:8080").is_empty());
    assert!(find_urls("my_http://backend:8080").is_empty());
    let text = "url=http://backend:8080";
    assert_eq!(at(text, &only_url(text).range), "http://backend:8080");
}

#[test]
fn url_empty_authority_is_skipped() {
    assert!(find_urls("http://").is_empty());
    assert!(find_urls("use http:// or https://").is_empty());
    assert!(find_urls("http:///path").is_empty());
}

#[test]
fn url_empty_host_is_invalid_host() {
    let text = "http://:8080/";
    let url = only_url(text);
    assert_eq!(url.host, 7..7);
    assert_eq!(url.host_class, HostClass::Invalid);
    assert_eq!(url.effective_port(), Some(8080));
}

#[test]
fn url_template_host_is_unknown() {
    let text = "http://${var.host}:8080/x";
    let url = only_url(text);
    assert_eq!(url.host_class, HostClass::Unknown);
    assert_eq!(at(text, &url.host), "${var.host}");
    assert_eq!(url.effective_port(), Some(8080));
    assert_eq!(
        only_url("http://api.${var.domain}").host_class,
        HostClass::Unknown
    );
    assert_eq!(only_url("http://$HOST:80").host_class, HostClass::Unknown);
    assert_eq!(
        only_url("http://{{ .Env.HOST }}:80").host_class,
        HostClass::Unknown
    );
}

#[test]
fn url_template_port_is_unknown() {
    let text = "http://backend:${var.port}/x";
    let url = only_url(text);
    let port = url.port.as_ref().unwrap();
    assert_eq!(port.value, PortValue::Unknown);
    assert_eq!(at(text, &port.range), "${var.port}");
    assert_eq!(url.effective_port(), None);
    assert_eq!(at(text, &url.path), "/x");
    assert_eq!(url.host_class, HostClass::BareName);
}

#[test]
fn url_template_with_spaces_and_colons_stays_one_url() {
    let text = r#"http://${ var.tls ? "a:1" : "b" }/x, next"#;
    let url = only_url(text);
    assert_eq!(at(text, &url.range), r#"http://${ var.tls ? "a:1" : "b" }/x"#);
    assert_eq!(url.host_class, HostClass::Unknown);
    assert_eq!(url.port, None);
}

#[test]
fn url_invalid_port_is_reported_invalid() {
    let url = only_url("http://backend:99999/");
    assert_eq!(url.port.as_ref().unwrap().value, PortValue::Invalid);
    assert_eq!(url.effective_port(), None);
}

#[test]
fn url_ranges_are_byte_offsets_after_unicode() {
    let text = "→ 日本語 http://backend:8080/ü?q=ä and more";
    let url = only_url(text);
    assert_eq!(at(text, &url.range), "http://backend:8080/ü?q=ä");
    assert_eq!(at(text, &url.host), "backend");
    assert_eq!(at(text, &url.path), "/ü?q=ä");
    assert_eq!(url.range.start, "→ 日本語 ".len());
}

#[test]
fn url_glued_to_non_ascii_text_is_found_and_ends_at_cjk_punctuation() {
    let text = "配置http://backend:8080。";
    let url = only_url(text);
    assert_eq!(at(text, &url.range), "http://backend:8080");
    assert_eq!(url.host_class, HostClass::BareName);
}

#[test]
fn url_host_classes() {
    let cases = [
        ("backend", HostClass::BareName),
        ("consul", HostClass::BareName),
        ("api.example.com", HostClass::Fqdn),
        ("backend.example.consul.io", HostClass::Fqdn),
        ("localhost", HostClass::Loopback),
        ("127.0.0.2", HostClass::Loopback),
        ("2130706433", HostClass::Loopback),
        ("0.0.0.0", HostClass::AllInterfaces),
        ("0.0.0.0.example.com", HostClass::Fqdn),
        ("10.1.2.3", HostClass::IpAddress),
        ("[::1]", HostClass::Loopback),
        ("${var.host}", HostClass::Unknown),
        ("", HostClass::Invalid),
        ("bad host", HostClass::Invalid),
        ("1.2.3.4.5", HostClass::Invalid),
        ("a..b", HostClass::Invalid),
    ];
    for (host, want) in cases {
        assert_eq!(classify_url_host(host), want, "{host:?}");
    }
}

#[test]
fn scheme_helpers() {
    assert_eq!(Scheme::parse("GrPc"), Some(Scheme::Grpc));
    assert_eq!(Scheme::parse("ftp"), None);
    assert!(Scheme::Https.is_tls());
    assert!(!Scheme::Tcp.is_tls());
    assert_eq!(Scheme::Tcp.plaintext(), Scheme::Tcp);
    assert_eq!(Scheme::Wss.default_port(), Some(443));
}
