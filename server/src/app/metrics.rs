//! Prometheus metrics: request counts and latencies per route pattern, plus a few gauges.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub grid_cells: IntGauge,
    pub pool_connections: IntGauge,
    pub pool_idle: IntGauge,
    pub sweeps: prometheus::IntCounter,
    pub escalations: prometheus::IntCounter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("gridwork".into()), None).expect("valid prefix");
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency").buckets(
                vec![
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ],
            ),
            &["method", "route"],
        )
        .expect("valid metric");
        let grid_cells =
            IntGauge::new("grid_cells", "Live cells in the in-memory index").expect("valid");
        let pool_connections =
            IntGauge::new("db_pool_connections", "Open database connections").expect("valid");
        let pool_idle = IntGauge::new("db_pool_idle", "Idle database connections").expect("valid");
        let sweeps =
            prometheus::IntCounter::new("escalation_sweeps_total", "Escalation sweeps run")
                .expect("valid");
        let escalations = prometheus::IntCounter::new(
            "escalations_total",
            "Incidents escalated by the sweep because their deadline passed",
        )
        .expect("valid");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(grid_cells.clone()),
            Box::new(pool_connections.clone()),
            Box::new(pool_idle.clone()),
            Box::new(sweeps.clone()),
            Box::new(escalations.clone()),
        ] {
            registry.register(c).expect("unique metric");
        }
        Metrics {
            registry,
            requests,
            latency,
            grid_cells,
            pool_connections,
            pool_idle,
            sweeps,
            escalations,
        }
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding works");
        String::from_utf8(buf).expect("prometheus text is UTF-8")
    }
}

/// A request method as a metrics label: the standard methods by name, anything else
/// `OTHER`, so that made-up methods cannot grow the label set.
pub fn method_label(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "OTHER",
    }
}

/// A matched route's pattern as a metrics label; a request no route matched is
/// `unmatched`, never its raw path.
pub fn route_label(pattern: Option<String>) -> String {
    pattern.unwrap_or_else(|| "unmatched".into())
}

#[cfg(test)]
mod tests {
    use actix_web::http::Method;

    use super::*;

    #[test]
    fn made_up_methods_share_one_label() {
        let odd = Method::from_bytes(&[b'X'; 2000]).unwrap();
        assert_eq!(method_label(&odd), "OTHER");
        assert_eq!(method_label(&Method::GET), "GET");
    }
}
