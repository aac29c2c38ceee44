//! Open311 GeoReport v2 (`/open311/v2`): the wire types of the services and service
//! requests other systems and citizen apps read and post, and of the API keys an admin
//! issues for posting (`/api/v1/api-keys`).
//!
//! Field names, shapes and the date format follow the GeoReport v2 specification. The same
//! types serialize to JSON and, on the server, to XML: a list is answered in JSON as an
//! array and in XML inside its root element ([`Services`], [`ServiceRequests`],
//! [`Errors`]), one child element per item (`<service>`, `<request>`, `<error>`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validate::{self, FieldErrors};

/// GeoReport's date format: ISO 8601 to the second with the offset, on the district's
/// clock (China Standard Time, `+08:00`), e.g. `2026-12-01T09:30:00+08:00`.
pub mod datetime {
    use chrono::{DateTime, FixedOffset, Utc};
    use serde::Serializer;

    /// The district's offset from UTC.
    pub fn offset() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
    }

    /// An instant as GeoReport writes it.
    pub fn format(t: &DateTime<Utc>) -> String {
        t.with_timezone(&offset())
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    /// A caller's `start_date` or `end_date`: an ISO 8601 instant with `Z` or an offset.
    /// A `+` sent unencoded in a query string arrives as a space, so a space before the
    /// offset reads as `+`.
    pub fn parse(s: &str) -> Option<DateTime<Utc>> {
        let s = s.trim();
        let fixed = match s.rfind(' ') {
            Some(i) if i > 10 => format!("{}+{}", &s[..i], &s[i + 1..]),
            _ => s.to_string(),
        };
        DateTime::<FixedOffset>::parse_from_rfc3339(&fixed)
            .ok()
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| crate::utc::date_in_range(t.date_naive()))
    }

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        parse(&s)
            .ok_or_else(|| serde::de::Error::custom("expected an ISO 8601 time with its offset"))
    }

    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::Serializer;

        pub fn serialize<S: Serializer>(
            t: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => s.serialize_str(&super::format(t)),
                None => s.serialize_none(),
            }
        }
    }
}

/// The category class an Open311 service belongs to (`group`): the first two digits of its
/// code, in Chinese and in English.
pub fn group_of(service_code: &str) -> (&'static str, &'static str) {
    match service_code.get(..2).unwrap_or("") {
        "01" => ("矛盾纠纷", "Disputes"),
        "02" => ("安全隐患", "Safety hazards"),
        "03" => ("社会治安", "Public order"),
        "04" => ("环境卫生", "Environment"),
        "05" => ("市政设施", "Public facilities"),
        "06" => ("突发事件", "Emergencies"),
        _ => ("其他", "Other"),
    }
}

/// `GET /open311/v2/services.{fmt}`: one category an admin marked public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    /// The category's 4-digit code.
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Always `false`: no service takes extra attributes.
    pub metadata: bool,
    /// Always `realtime`: a posted request is an incident at once.
    #[serde(rename = "type")]
    pub kind: String,
    /// A comma list.
    pub keywords: String,
    /// The category's class.
    pub group: String,
}

/// `GET /open311/v2/requests.{fmt}` and `…/requests/{id}.{fmt}`: an incident of a public
/// category, without anyone's personal data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRequest {
    /// The incident's id.
    pub service_request_id: Uuid,
    /// `open` or `closed` (closed, rejected or merged).
    pub status: String,
    /// The incident's status in words.
    pub status_notes: String,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    #[serde(with = "datetime")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-01T09:30:00+08:00"))]
    pub requested_datetime: DateTime<Utc>,
    #[serde(with = "datetime")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-01T10:00:00+08:00"))]
    pub updated_datetime: DateTime<Utc>,
    /// The incident's deadline at its current level (`due_at`).
    #[serde(with = "datetime")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12-02T09:30:00+08:00"))]
    pub expected_datetime: DateTime<Utc>,
    /// The name of the grid cell it lies in.
    pub address: String,
    /// Rounded to 4 decimals (about 11 m).
    pub lat: f64,
    /// Rounded to 4 decimals.
    pub long: f64,
}

/// The answer to `POST /open311/v2/requests.{fmt}`, one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    pub service_request_id: Uuid,
    pub service_notice: String,
    /// Always null: the submitter has no account here.
    pub account_id: Option<String>,
}

/// One Open311 error: `[{"code": 403, "description": "…"}]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Open311Error {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}

/// `GET /open311/v2/discovery.{fmt}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discovery {
    #[serde(with = "datetime")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub changeset: DateTime<Utc>,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Endpoint {
    pub specification: String,
    pub url: String,
    #[serde(with = "datetime")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub changeset: DateTime<Utc>,
    #[serde(rename = "type")]
    pub kind: String,
    /// MIME types: `text/xml`, `application/json`.
    pub formats: Vec<String>,
}

/// XML roots: `<services><service>…</service></services>`.
#[derive(Debug, Clone, Serialize)]
pub struct Services<'a> {
    pub service: &'a [Service],
}

/// `<service_requests><request>…</request></service_requests>`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRequests<'a, T> {
    pub request: &'a [T],
}

/// `<errors><error><code>…</code><description>…</description></error></errors>`.
#[derive(Debug, Clone, Serialize)]
pub struct Errors<'a> {
    pub error: &'a [Open311Error],
}

/// `<discovery>`: as [`Discovery`], with `<endpoints><endpoint>` and
/// `<formats><format>` as the specification writes them.
#[derive(Debug, Clone, Serialize)]
pub struct DiscoveryXml {
    #[serde(with = "datetime")]
    pub changeset: DateTime<Utc>,
    pub contact: String,
    pub key_service: String,
    pub endpoints: EndpointsXml,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointsXml {
    pub endpoint: Vec<EndpointXml>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndpointXml {
    pub specification: String,
    pub url: String,
    #[serde(with = "datetime")]
    pub changeset: DateTime<Utc>,
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: FormatsXml,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormatsXml {
    pub format: Vec<String>,
}

impl From<&Discovery> for DiscoveryXml {
    fn from(d: &Discovery) -> Self {
        DiscoveryXml {
            changeset: d.changeset,
            contact: d.contact.clone(),
            key_service: d.key_service.clone(),
            endpoints: EndpointsXml {
                endpoint: d
                    .endpoints
                    .iter()
                    .map(|e| EndpointXml {
                        specification: e.specification.clone(),
                        url: e.url.clone(),
                        changeset: e.changeset,
                        kind: e.kind.clone(),
                        formats: FormatsXml {
                            format: e.formats.clone(),
                        },
                    })
                    .collect(),
            },
        }
    }
}

/// The filters of `GET /open311/v2/requests.{fmt}`, as the query string gives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestsQuery {
    /// A comma list of ids; when given, every other filter is ignored.
    pub service_request_id: Option<String>,
    /// A comma list of service codes.
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// `open` or `closed`; a comma list of both is the same as none.
    pub status: Option<String>,
    /// Ignored: this server is one jurisdiction.
    pub jurisdiction_id: Option<String>,
}

/// Most ids one `service_request_id` filter may name.
pub const MAX_IDS: usize = 100;

/// `POST /open311/v2/requests.{fmt}`, form-encoded. Every field arrives as text; the
/// specification's optional fields this server does not use (`jurisdiction_id`,
/// `device_id`, `address_string`, `address_id`, `media_url`, `attribute[…]`, …) are
/// ignored, not refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewServiceRequest {
    pub api_key: Option<String>,
    pub service_code: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

/// A posted request, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRequest {
    pub service_code: String,
    pub lat: f64,
    pub lon: f64,
    pub description: String,
    pub contact: Contact,
}

/// What a submitter may leave to be contacted; stored encrypted, never shown by Open311.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.first_name.is_none()
            && self.last_name.is_none()
            && self.phone.is_none()
    }
}

/// Longest description GeoReport allows.
pub const MAX_DESCRIPTION: usize = 4000;

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl NewServiceRequest {
    /// Checks every field but the key (a missing location is an error of its own).
    pub fn check(&self) -> Result<CheckedRequest, FieldErrors> {
        let mut e = FieldErrors::new();
        // A code that names no public service is the caller's 404, not a bad field.
        let code = present(&self.service_code).unwrap_or("");
        if code.is_empty() {
            e.push("service_code", "is required");
        } else if code.chars().count() > 64 {
            e.push("service_code", "is at most 64 characters");
        }
        let coord =
            |e: &mut FieldErrors, field: &str, v: &Option<String>, max: f64| match present(v)
                .map(str::parse::<f64>)
            {
                None => {
                    e.push(field, "is required");
                    0.0
                }
                Some(Ok(x)) if x.is_finite() && x.abs() <= max => x,
                Some(_) => {
                    e.push(field, format!("must be a number between -{max} and {max}"));
                    0.0
                }
            };
        let lat = coord(&mut e, "lat", &self.lat, 90.0);
        let lon = coord(&mut e, "long", &self.long, 180.0);
        let description = self.description.as_deref().unwrap_or("").trim().to_string();
        if !description.is_empty() {
            validate::text(&mut e, "description", &description, 0, MAX_DESCRIPTION);
        }
        let mut one_line = |field: &str, v: &Option<String>, max: usize| {
            let v = present(v)?;
            validate::name(&mut e, field, v, max);
            Some(v.to_string())
        };
        let contact = Contact {
            email: one_line("email", &self.email, 254),
            first_name: one_line("first_name", &self.first_name, 100),
            last_name: one_line("last_name", &self.last_name, 100),
            phone: one_line("phone", &self.phone, 30),
        };
        if contact.email.as_deref().is_some_and(|m| {
            m.split_once('@')
                .is_none_or(|(a, b)| a.is_empty() || b.is_empty())
        }) {
            e.push("email", "must be an email address");
        }
        if contact.phone.as_deref().is_some_and(|p| {
            !p.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
        }) {
            e.push("phone", "must be digits, spaces, +, -, ( or )");
        }
        e.into_result()?;
        Ok(CheckedRequest {
            service_code: code.to_string(),
            lat,
            lon,
            description,
            contact,
        })
    }
}

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    pub created_by: Uuid,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(default, with = "crate::utc::option")]
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `POST /api-keys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    /// Who the key is for (the system or app that posts with it).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

impl NewApiKey {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, 100);
        e.into_result()
    }
}

/// The answer to `POST /api-keys`: the only time the key is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedApiKey {
    pub id: Uuid,
    pub name: String,
    /// 32 random bytes, hex; only a SHA-256 of it is kept.
    pub key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_on_the_districts_clock_to_the_second() {
        let t = DateTime::parse_from_rfc3339("2026-12-01T01:30:00.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(datetime::format(&t), "2026-12-01T09:30:00+08:00");
        let back = datetime::parse("2026-12-01T09:30:00 08:00").unwrap();
        assert_eq!(datetime::format(&back), "2026-12-01T09:30:00+08:00");
        assert!(datetime::parse("2026-12-01").is_none());
    }

    #[test]
    fn a_post_is_checked_field_by_field() {
        let ok = NewServiceRequest {
            service_code: Some("0502".into()),
            lat: Some("29.005".into()),
            long: Some("106.005".into()),
            email: Some("a@b.cn".into()),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!((ok.lat, ok.lon), (29.005, 106.005));
        let bad = NewServiceRequest {
            service_code: None,
            lat: Some("north".into()),
            phone: Some("call me".into()),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["service_code", "lat", "long", "phone"]);
    }
}
