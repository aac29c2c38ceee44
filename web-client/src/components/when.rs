//! Instants as people read them: the district's clock, and "due in 3 h" / "overdue 2 days".

use chrono::{DateTime, Utc};
use yew::prelude::*;

use crate::i18n::screens::ScreenText;
use crate::i18n::{english, t};
use crate::logic::{Span, local_time, span};

/// A span's number and its unit's word.
fn amount(span: Span) -> (i64, ScreenText) {
    match span {
        Span::Minutes(n) => (n, ScreenText::SpanMinutes),
        Span::Hours(n) => (n, ScreenText::SpanHours),
        Span::Days(n) => (n, ScreenText::SpanDays),
    }
}

/// "due in 3 h" or "overdue 2 days" for a deadline, in the current language.
pub fn due_phrase(due: &DateTime<Utc>, now: &DateTime<Utc>) -> String {
    let (past, span) = span(due, now);
    let (n, unit) = amount(span);
    match (english(), past) {
        (true, false) => format!("due in {n} {}", t(unit)),
        (true, true) => format!("overdue {n} {}", t(unit)),
        (false, false) => format!("{n} {}{}", t(unit), t(ScreenText::DueIn)),
        (false, true) => format!("{} {n} {}", t(ScreenText::OverdueBy), t(unit)),
    }
}

/// "2 days ago" for an instant in the past, in the current language.
pub fn ago(then: &DateTime<Utc>) -> String {
    let (n, unit) = amount(span(then, &Utc::now()).1);
    match english() {
        true => format!("{n} {} {}", t(unit), t(ScreenText::Ago)),
        false => format!("{n} {}{}", t(unit), t(ScreenText::Ago)),
    }
}

/// A deadline: its local time and how far it is.
pub fn deadline(due: &DateTime<Utc>) -> Html {
    let now = Utc::now();
    html! {
        <span class={classes!("when", (*due < now).then_some("late"))}>
            <time datetime={gridwork_shared::utc::format(due)}>{ local_time(due) }</time>
            { " · " }{ due_phrase(due, &now) }
        </span>
    }
}

/// An instant in the district's local time, machine-readable underneath.
pub fn at(t: &DateTime<Utc>) -> Html {
    html! { <time datetime={gridwork_shared::utc::format(t)}>{ local_time(t) }</time> }
}
