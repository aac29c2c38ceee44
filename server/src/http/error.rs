//! `ApiError`: every failure a handler can answer, as RFC 9457 problem+json; a rule's
//! refusal (`flow::error::Error`) becomes one here.
//!
//! Domain errors map to 4xx with a stable `code`. `Unexpected` maps to a generic 500 whose
//! body says nothing about the cause; the cause chain goes to the log.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use gridwork_shared::{ErrorCode, FieldErrors, Problem};

use crate::flow::error::Error;

#[derive(Debug)]
pub enum ApiError {
    Problem {
        problem: Problem,
        retry_after: Option<u64>,
    },
    Unexpected(anyhow::Error),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The common refusals, spelled as the rules spell them (`flow::error::Error`).
impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error::new(code, detail).into()
    }

    pub fn validation(errors: FieldErrors) -> Self {
        Error::Invalid(errors).into()
    }

    /// A single invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::invalid(field, message).into()
    }

    pub fn not_found() -> Self {
        Error::not_found().into()
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Error::unauthorized(detail).into()
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Problem { problem, .. } => problem.code,
            ApiError::Unexpected(_) => ErrorCode::InternalError,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Problem { problem, .. } => write!(f, "{}: {}", problem.code, problem.detail),
            ApiError::Unexpected(e) => write!(f, "unexpected: {e:#}"),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::Unexpected(e)
    }
}

/// A rule's refusal as the HTTP answer: the status follows from the code, except that a
/// new record placed off the grid is a fault of the request (422), and an operation that
/// depends on a rejected one is 424 (only the sync endpoint meets it, per operation).
impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match &e {
            Error::OffGrid => 422,
            Error::DependsOnRejected(_) => 424,
            other => other.code().status(),
        };
        let retry_after = match &e {
            Error::Throttled { retry_after, .. } | Error::RateLimited { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        };
        let mut problem = Problem::new(e.code(), e.detail());
        problem.status = status;
        match e {
            Error::Unexpected(cause) => ApiError::Unexpected(cause),
            Error::Invalid(errors) => ApiError::Problem {
                problem: problem.with_errors(errors.0),
                retry_after,
            },
            _ => ApiError::Problem {
                problem,
                retry_after,
            },
        }
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(e: r2d2::Error) -> Self {
        Error::from(e).into()
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Unexpected(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        let status = match self {
            ApiError::Problem { problem, .. } => problem.status,
            ApiError::Unexpected(_) => 500,
        };
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let (problem, retry_after) = match self {
            ApiError::Problem {
                problem,
                retry_after,
            } => (problem.clone(), *retry_after),
            ApiError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error");
                (
                    Problem::new(ErrorCode::InternalError, "something went wrong on our side"),
                    None,
                )
            }
        };
        problem_response(&problem, retry_after)
    }
}

/// Renders a problem with its status and content type.
pub fn problem_response(problem: &Problem, retry_after: Option<u64>) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = HttpResponse::build(status);
    res.insert_header((
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    ));
    if let Some(secs) = retry_after {
        res.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    res.body(serde_json::to_string(problem).expect("a problem always serializes"))
}
