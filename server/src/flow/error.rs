//! What a rule answers when it refuses: a stable code and words, never an HTTP status.
//! The HTTP edge turns an [`Error`] into problem+json (`http::error`); the sync endpoint
//! into an operation's result; the tools into a message.

use gridwork_shared::{ErrorCode, FieldErrors};

#[derive(Debug)]
pub enum Error {
    /// A rule refused; `code` is the stable code clients switch on.
    Refused { code: ErrorCode, detail: String },
    /// Fields of the request are invalid (`validation_failed`).
    Invalid(FieldErrors),
    /// The location of a new record lies in no cell of the grid: the record itself is at
    /// fault (`outside_grid`), unlike a lookup of a point, which simply finds nothing.
    OffGrid,
    /// Too many failed attempts; they may be tried again after `retry_after` seconds.
    Throttled { detail: String, retry_after: u64 },
    /// Too many writes by one user in a short time; more after `retry_after` seconds.
    RateLimited { retry_after: u64 },
    /// A field operation needs a record whose own operation was rejected in the same push.
    DependsOnRejected(String),
    /// The database does not answer.
    Unavailable,
    /// A failure that is nobody's request's fault; logged, never shown.
    Unexpected(anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error::Refused {
            code,
            detail: detail.into(),
        }
    }

    pub fn validation(errors: FieldErrors) -> Self {
        Error::Invalid(errors)
    }

    /// A single invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::new();
        e.push(field, message);
        Error::Invalid(e)
    }

    /// A client-generated id already names another record (or the same id with another body).
    pub fn id_conflict() -> Self {
        Self::new(
            ErrorCode::IdConflict,
            "this id is already used by another record",
        )
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "no such record")
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, detail)
    }

    pub fn too_many_attempts(retry_after: u64) -> Self {
        Error::Throttled {
            detail: format!("too many failed logins; try again in {retry_after} s"),
            retry_after,
        }
    }

    /// The stable code a client sees for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Refused { code, .. } => *code,
            Error::Invalid(_) => ErrorCode::ValidationFailed,
            Error::OffGrid => ErrorCode::OutsideGrid,
            Error::Throttled { .. } => ErrorCode::TooManyAttempts,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::DependsOnRejected(_) => ErrorCode::NotFound,
            Error::Unavailable => ErrorCode::Unavailable,
            Error::Unexpected(_) => ErrorCode::InternalError,
        }
    }

    /// The words for a person, as the problem's `detail`.
    pub fn detail(&self) -> String {
        match self {
            Error::Refused { detail, .. } | Error::Throttled { detail, .. } => detail.clone(),
            Error::Invalid(errors) => match errors.0.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                many => format!("{} fields are invalid", many.len()),
            },
            Error::OffGrid => "the location is in no cell of the grid".into(),
            Error::RateLimited { retry_after } => {
                format!("too many writes in a short time; try again in {retry_after} s")
            }
            Error::DependsOnRejected(detail) => detail.clone(),
            Error::Unavailable => "the database is not answering; try again".into(),
            Error::Unexpected(_) => "something went wrong on our side".into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Unexpected(e) => write!(f, "unexpected: {e:#}"),
            other => write!(f, "{}: {}", other.code(), other.detail()),
        }
    }
}

impl From<crate::db::Error> for Error {
    fn from(e: crate::db::Error) -> Self {
        Error::Unexpected(e.into())
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Unexpected(e)
    }
}

impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Self {
        tracing::error!(error = %e, "database pool exhausted or unreachable");
        Error::Unavailable
    }
}

impl From<crate::db::batch::BatchFailed> for Error {
    fn from(e: crate::db::batch::BatchFailed) -> Self {
        Error::Unexpected(anyhow::anyhow!(e.0))
    }
}
