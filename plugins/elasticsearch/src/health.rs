//! The post-install step: wait until the cluster reports every node and at least yellow health.

use crate::model::{HTTP_PORT, Topology};
use crate::wit;

/// A hook Job that polls `_cluster/health` through the headless Service.
pub fn wait_step(t: &Topology) -> Result<wit::Step, wit::Error> {
    let image = match (t.setting_str("image"), &t.version) {
        (Some(image), _) => image.to_string(),
        (None, Some(v)) => format!("docker.elastic.co/elasticsearch/elasticsearch:{v}"),
        (None, None) => {
            return Err(wit::Error::InvalidSettings(
                "post-install needs settings.image or an engine version".into(),
            ));
        }
    };
    let scheme = match t.setting_str("protocol").unwrap_or("http") {
        s @ ("http" | "https") => s,
        other => {
            return Err(wit::Error::InvalidSettings(format!(
                "settings.protocol must be http or https, not {other:?}"
            )));
        }
    };
    let insecure = if scheme == "https" { "-k " } else { "" };
    let url = format!(
        "{scheme}://{}:{}/_cluster/health?wait_for_status=yellow&wait_for_nodes={}&timeout=10s",
        t.service_fqdn(),
        t.port("http", HTTP_PORT),
        t.replicas
    );
    let script = format!(
        "url='{url}'\n\
         until curl {insecure}-fsS -o /dev/null ${{ES_USER:+-u \"$ES_USER:$ES_PASSWORD\"}} \"$url\"; do\n\
         \x20 echo \"waiting for {n} elasticsearch node(s) and yellow health\"\n\
         \x20 sleep 5\n\
         done\n\
         echo \"cluster healthy\"\n",
        n = t.replicas
    );
    Ok(wit::Step {
        name: "es-cluster-health".into(),
        image,
        run: wit::Run::Script(script),
        env: Vec::new(),
        hooks: vec![wit::Hook::PostInstall, wit::Hook::PostUpgrade],
        hook_weight: 5,
        backoff_limit: 3,
        timeout_seconds: 600,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::topo;

    #[test]
    fn waits_for_every_node() {
        let mut w = topo(5, Some("8.15.0"));
        w.namespace = "logs".into();
        w.cluster_domain = "corp.example.".into();
        let s = wait_step(&Topology::from_wit(w).unwrap()).unwrap();
        assert_eq!(
            s.image,
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0"
        );
        let wit::Run::Script(script) = s.run else {
            panic!("not a script")
        };
        assert!(script.contains(
            "http://rel-es-headless.logs.svc.corp.example:9200/_cluster/health?\
             wait_for_status=yellow&wait_for_nodes=5&"
        ));
    }

    #[test]
    fn needs_an_image() {
        let w = topo(3, None);
        assert!(matches!(
            wait_step(&Topology::from_wit(w).unwrap()),
            Err(wit::Error::InvalidSettings(_))
        ));
    }
}
