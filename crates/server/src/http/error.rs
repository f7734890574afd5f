//! Every error answer is `{"error": {"code": "...", "message": "..."}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use schemars::JsonSchema;
use serde::Serialize;

use crate::domain::DomainError;

/// The JSON body of every error answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code: `bad_request`, `invalid_body`, `unauthorized`,
    /// `forbidden`, `not_found`, `conflict`, `invalid`, `too_large`, `unrecognised_format`,
    /// `invalid_report`, `method_not_allowed`, `internal`.
    pub code: String,
    /// What went wrong and what to do about it, naming the field or parameter.
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn unauthorized(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: &str) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// A failure of the server itself; the details go to the log, never to the caller.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!("{detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; the server log has the details",
        )
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        let message = e.to_string();
        match e {
            DomainError::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "not_found", message),
            DomainError::Unauthorized(_) => {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
            }
            DomainError::Forbidden(_) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", message),
            DomainError::Invalid(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
            }
            DomainError::Conflict(_) => ApiError::new(StatusCode::CONFLICT, "conflict", message),
            DomainError::Import(gatehouse_import::ImportError::Unrecognised { .. }) => {
                ApiError::new(StatusCode::BAD_REQUEST, "unrecognised_format", message)
            }
            DomainError::Import(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_report", message)
            }
            DomainError::Store(e) => {
                tracing::error!("{e}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the database failed; the server log has the details",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
