//! Whether a URL calls a mesh service around the sidecar, and how.

use crate::net::{ConsulKind, HostClass, UrlRef};

/// How a URL reaches a mesh service without going through the sidecar's upstream listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectRoute {
    /// `http://billing:8080`: the service's name as a host.
    Name,
    /// `billing.service.consul`: Consul DNS, the instances' own addresses.
    ServiceDns,
    /// `billing.connect.consul`: the sidecars' mTLS listeners, which a plain call cannot use.
    ConnectDns,
    /// `billing.virtual.consul` without transparent proxy to route it.
    VirtualDns,
}

impl DirectRoute {
    pub fn describe(self) -> &'static str {
        match self {
            DirectRoute::Name => "by its service name",
            DirectRoute::ServiceDns => "through Consul DNS (`.service.consul`), which bypasses the sidecar",
            DirectRoute::ConnectDns => {
                "at its sidecar's mTLS listener (`.connect.consul`), which a plain call cannot use"
            }
            DirectRoute::VirtualDns => {
                "at its virtual address (`.virtual.consul`), which only transparent proxy routes"
            }
        }
    }
}

/// The mesh service `url` calls directly, if any. `transparent_proxy` is whether the calling
/// task has it on (`None`: unknown, which never makes a finding). `mesh_services` is sorted
/// (as [`crate::model::Project::mesh_task_names`] gives it): each URL is one binary search,
/// not a scan of every service in the tree.
pub fn direct_call<'t>(
    text: &'t str,
    url: &UrlRef,
    mesh_services: &[&str],
    transparent_proxy: Option<bool>,
) -> Option<(&'t str, DirectRoute)> {
    let host = text.get(url.host.clone())?;
    let is_mesh_service = |name: &str| mesh_services.binary_search(&name).is_ok();
    match &url.host_class {
        HostClass::BareName if is_mesh_service(host) => Some((host, DirectRoute::Name)),
        HostClass::ConsulDns(dns) if !dns.service_is_template => {
            let service = text.get(dns.service.clone())?;
            match dns.kind {
                ConsulKind::Service if is_mesh_service(service) => Some((service, DirectRoute::ServiceDns)),
                ConsulKind::Connect => Some((service, DirectRoute::ConnectDns)),
                ConsulKind::Virtual if transparent_proxy == Some(false) && is_mesh_service(service) => {
                    Some((service, DirectRoute::VirtualDns))
                }
                _ => None,
            }
        }
        _ => None,
    }
}
