//! Route registration that remembers what it registered, so that a test can hold the
//! OpenAPI document to the routes really served: every registered (method, path) is in
//! the document and every documented one is registered.

use std::cell::RefCell;

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, Responder, web};

thread_local! {
    /// While [`recording`] runs on this thread: each (method, path) registered.
    static SEEN: RefCell<Option<Vec<(Method, String)>>> = const { RefCell::new(None) };
}

/// Registers resources under a path prefix.
pub struct Api<'a> {
    cfg: &'a mut web::ServiceConfig,
    prefix: &'static str,
}

impl<'a> Api<'a> {
    pub fn new(cfg: &'a mut web::ServiceConfig, prefix: &'static str) -> Self {
        Api { cfg, prefix }
    }

    pub fn service(&mut self, r: Resource) -> &mut Self {
        SEEN.with(|seen| {
            if let Some(seen) = seen.borrow_mut().as_mut() {
                for m in &r.methods {
                    seen.push((m.clone(), format!("{}{}", self.prefix, r.path)));
                }
            }
        });
        self.cfg.service(r.inner);
        self
    }
}

/// A path and the handlers of its methods.
pub struct Resource {
    path: &'static str,
    methods: Vec<Method>,
    inner: actix_web::Resource,
}

pub fn resource(path: &'static str) -> Resource {
    Resource {
        path,
        methods: Vec::new(),
        inner: web::resource(path),
    }
}

impl Resource {
    fn route<F, Args>(mut self, method: Method, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.methods.push(method.clone());
        self.inner = self.inner.route(web::method(method).to(handler));
        self
    }

    pub fn get<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Method::GET, handler)
    }

    pub fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Method::POST, handler)
    }

    pub fn put<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Method::PUT, handler)
    }

    pub fn patch<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Method::PATCH, handler)
    }

    pub fn delete<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.route(Method::DELETE, handler)
    }

    /// Data for this resource's handlers (e.g. a larger body limit).
    pub fn app_data<U: 'static>(mut self, data: U) -> Self {
        self.inner = self.inner.app_data(data);
        self
    }
}

/// Starts remembering registrations on this thread.
pub fn start_recording() {
    SEEN.with(|seen| *seen.borrow_mut() = Some(Vec::new()));
}

/// Every (method, path) registered on this thread since [`start_recording`].
pub fn recorded() -> Vec<(Method, String)> {
    SEEN.with(|seen| seen.borrow_mut().take().unwrap_or_default())
}
