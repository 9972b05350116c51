use super::*;

const RS: SourceKind = SourceKind::Rust;

#[test]
fn std_and_tokio_tcp_listener_bind_literal() {
    let text = "fn main() {\n    let l = std::net::TcpListener::bind(\"0.0.0.0:8080\").unwrap();\n    let t = tokio::net::TcpListener::bind(\"127.0.0.1:3000\").await?;\n}\n";
    let listens = facts(RS, text).listens;
    assert_eq!(listens[0].api, "std::net::TcpListener::bind");
    assert_eq!(
        at(text, listens[0].span),
        "std::net::TcpListener::bind(\"0.0.0.0:8080\")"
    );
    assert_host_port(text, &listens[0], "0.0.0.0:8080");
    assert_eq!(listens[1].api, "tokio::net::TcpListener::bind");
    assert_host_port(text, &listens[1], "127.0.0.1:3000");
}

#[test]
fn axum_and_hyper_server_bind_through_parse() {
    let text = "fn main() {\n    axum::Server::bind(&\"0.0.0.0:3000\".parse().unwrap());\n    hyper::Server::bind(&\"[::]:80\".parse::<SocketAddr>().expect(\"x\"));\n}\n";
    let listens = facts(RS, text).listens;
    assert_eq!(listens[0].api, "axum::Server::bind");
    assert_host_port(text, &listens[0], "0.0.0.0:3000");
    assert_eq!(listens[1].api, "hyper::Server::bind");
    assert_host_port(text, &listens[1], "[::]:80");
}

#[test]
fn socket_addr_from_ip_array_is_a_host_spanning_the_array() {
    let text = "fn main() {\n    let addr = SocketAddr::from(([0, 0, 0, 0], 8080));\n    axum::Server::bind(&addr);\n}\n";
    let listen = one_listen(RS, text);
    let ListenAddress::Host { text: host, span } = &listen.address else {
        panic!("{listen:?}")
    };
    assert_eq!(host, "0.0.0.0");
    assert_eq!(at(text, *span), "[0, 0, 0, 0]");
}

#[test]
fn ip_constants_and_constructors() {
    let text = "fn main() {\n    TcpListener::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 80));\n    TcpListener::bind((Ipv6Addr::LOCALHOST, 80));\n    TcpListener::bind((Ipv4Addr::new(127, 0, 0, 1), 80));\n}\n";
    let listens = facts(RS, text).listens;
    let hosts: Vec<_> = listens
        .iter()
        .map(|l| match &l.address {
            ListenAddress::Host { text: t, span } => (t.as_str(), at(text, *span)),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        hosts,
        [
            ("0.0.0.0", "Ipv4Addr::UNSPECIFIED"),
            ("::1", "Ipv6Addr::LOCALHOST"),
            ("127.0.0.1", "Ipv4Addr::new(127, 0, 0, 1)")
        ]
    );
}

#[test]
fn actix_http_server_bind_tuple() {
    let text = "fn main() {\n    HttpServer::new(|| App::new()).bind((\"0.0.0.0\", 8080))?.run();\n}\n";
    let listen = one_listen(RS, text);
    assert_eq!(listen.api, ".bind");
    assert_host(text, &listen, "0.0.0.0");
}

#[test]
fn warp_run_with_an_ip_array() {
    let text = "fn main() {\n    warp::serve(routes).run(([127, 0, 0, 1], 3030)).await;\n}\n";
    let listen = one_listen(RS, text);
    assert_eq!(listen.api, ".run");
    let ListenAddress::Host { text: host, span } = &listen.address else {
        panic!("{listen:?}")
    };
    assert_eq!((host.as_str(), at(text, *span)), ("127.0.0.1", "[127, 0, 0, 1]"));
}

#[test]
fn sqlx_bind_is_not_a_listen() {
    let text = "fn q() {\n    sqlx::query(\"select\").bind(user_id).bind(\"name\").fetch_one(&pool);\n}\n";
    assert!(facts(RS, text).listens.is_empty());
}

#[test]
fn const_address_and_format_string() {
    let text = "const ADDR: &str = \"0.0.0.0:9000\";\nfn main() {\n    TcpListener::bind(ADDR);\n    TcpListener::bind(format!(\"0.0.0.0:{}\", port));\n    TcpListener::bind(std::env::var(\"BIND\").unwrap());\n}\n";
    let listens = facts(RS, text).listens;
    assert_host_port(text, &listens[0], "0.0.0.0:9000");
    assert_host_port(text, &listens[1], "0.0.0.0:{}");
    assert_unknown(&listens[2]);
}

#[test]
fn rust_strings_plain_byte_and_raw() {
    let text = "const A: &str = \"http://billing:8080\";\nconst B: &str = r#\"http://x.service.consul\"#;\nconst C: &str = \"0.0.0.0.example.com\";\n";
    assert_eq!(
        strings(RS, text),
        ["http://billing:8080", "http://x.service.consul"]
    );
}

#[test]
fn tonic_serve_parsed_literal() {
    let text = "async fn main() -> Result<(), Box<dyn Error>> {\n    Server::builder()\n        .add_service(GreeterServer::new(g))\n        .serve(\"[::]:50052\".parse()?)\n        .await?;\n    tonic::transport::Server::builder().add_service(s).serve(\"0.0.0.0:50053\".parse().unwrap()).await?;\n    Ok(())\n}\n";
    let listens = facts(RS, text).listens;
    assert_eq!(listens.len(), 2);
    assert_eq!(listens[0].api, ".serve");
    assert_host_port(text, &listens[0], "[::]:50052");
    assert_host_port(text, &listens[1], "0.0.0.0:50053");
}

#[test]
fn tonic_serve_address_bound_by_let() {
    let text = "async fn main() -> Result<(), Box<dyn Error>> {\n    let addr = \"[::1]:50051\".parse()?;\n    let any: SocketAddr = \"[::]:50052\".parse::<SocketAddr>()?;\n    Server::builder().add_service(a).serve(addr).await?;\n    Server::builder().add_service(b).serve_with_shutdown(any, shutdown()).await?;\n    Ok(())\n}\n";
    let listens = facts(RS, text).listens;
    assert_eq!(listens.len(), 2);
    assert_eq!(listens[0].api, ".serve");
    assert_host_port(text, &listens[0], "[::1]:50051");
    assert_eq!(listens[1].api, ".serve_with_shutdown");
    assert_host_port(text, &listens[1], "[::]:50052");
}

#[test]
fn tonic_serve_with_an_unresolved_address_is_unknown() {
    let text = "async fn main() {\n    let addr = std::env::var(\"ADDR\").unwrap().parse().unwrap();\n    Server::builder().add_service(a).serve(addr).await;\n    Server::builder().add_service(b).serve(config.addr).await;\n}\nfn other() { let addr = 1; }\n";
    let listens = facts(RS, text).listens;
    assert_eq!(listens.len(), 2);
    listens.iter().for_each(assert_unknown);
}

#[test]
fn serve_of_a_service_or_a_router_is_not_a_listen() {
    let text = "async fn main() {\n    hyper::Server::bind(&addr).serve(make_svc).await;\n    router.serve(incoming).await;\n    axum::serve(listener, app).await;\n}\n";
    let listen = one_listen(RS, text);
    assert_eq!(listen.api, "hyper::Server::bind");
}

#[test]
fn a_router_serving_a_literal_address_is_a_listen() {
    let text = "async fn main() {\n    let router = Server::builder().add_service(a);\n    router.serve(\"0.0.0.0:50051\".parse().unwrap()).await;\n}\n";
    assert_host_port(text, &one_listen(RS, text), "0.0.0.0:50051");
}
