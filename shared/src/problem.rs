//! RFC 9457 problem details: the one error shape of the API.

use serde::{Deserialize, Serialize};

/// Stable, snake_case error codes. Clients switch on these; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    MalformedJson,
    BadRequest,
    ValidationFailed,
    Unauthorized,
    InvalidCredentials,
    TooManyAttempts,
    RateLimited,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    VersionConflict,
    IdConflict,
    UsernameTaken,
    CodeTaken,
    InvalidTransition,
    VoteNotPassed,
    QuotaFull,
    CampaignClosed,
    AlreadyMember,
    OutsideGrid,
    TooLarge,
    UnsupportedMedia,
    Unavailable,
    InternalError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::VersionConflict => "version_conflict",
            ErrorCode::IdConflict => "id_conflict",
            ErrorCode::UsernameTaken => "username_taken",
            ErrorCode::CodeTaken => "code_taken",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::VoteNotPassed => "vote_not_passed",
            ErrorCode::QuotaFull => "quota_full",
            ErrorCode::CampaignClosed => "campaign_closed",
            ErrorCode::AlreadyMember => "already_member",
            ErrorCode::OutsideGrid => "outside_grid",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UnsupportedMedia => "unsupported_media",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::InternalError => "internal_error",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::MalformedJson | ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound | ErrorCode::OutsideGrid => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::VersionConflict
            | ErrorCode::IdConflict
            | ErrorCode::UsernameTaken
            | ErrorCode::CodeTaken
            | ErrorCode::InvalidTransition
            | ErrorCode::VoteNotPassed
            | ErrorCode::QuotaFull
            | ErrorCode::CampaignClosed
            | ErrorCode::AlreadyMember => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::UnsupportedMedia => 415,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::TooManyAttempts | ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::InternalError => 500,
        }
    }

    /// A short human title for the code (the problem's `title`).
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "Malformed JSON",
            ErrorCode::BadRequest => "Bad request",
            ErrorCode::ValidationFailed => "Validation failed",
            ErrorCode::Unauthorized => "Authentication required",
            ErrorCode::InvalidCredentials => "Invalid credentials",
            ErrorCode::TooManyAttempts => "Too many attempts",
            ErrorCode::RateLimited => "Rate limited",
            ErrorCode::Forbidden => "Forbidden",
            ErrorCode::NotFound => "Not found",
            ErrorCode::MethodNotAllowed => "Method not allowed",
            ErrorCode::VersionConflict => "Version conflict",
            ErrorCode::IdConflict => "Id conflict",
            ErrorCode::UsernameTaken => "Username taken",
            ErrorCode::CodeTaken => "Code taken",
            ErrorCode::InvalidTransition => "Invalid transition",
            ErrorCode::VoteNotPassed => "Vote not passed",
            ErrorCode::QuotaFull => "Quota full",
            ErrorCode::CampaignClosed => "Campaign closed",
            ErrorCode::AlreadyMember => "Already a member of another team",
            ErrorCode::OutsideGrid => "Outside the grid",
            ErrorCode::TooLarge => "Payload too large",
            ErrorCode::UnsupportedMedia => "Unsupported media type",
            ErrorCode::Unavailable => "Service unavailable",
            ErrorCode::InternalError => "Internal server error",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field: `field` is a JSON-path-like location such as `features[3].properties.code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The body of every error response (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Problem {
            type_: format!("https://gridwork.example/problems/{}", code.as_str()),
            title: code.title().to_string(),
            status: code.status(),
            detail: detail.into(),
            code,
            errors: Vec::new(),
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }
}
