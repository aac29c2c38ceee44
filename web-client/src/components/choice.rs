//! A select whose shown choice is always the one held (and so the one sent). Marking an
//! option `selected` is not enough: once the user has touched a select, the browser ignores
//! changes of that attribute, so a form that resets its state (a record read again) would
//! go on showing the old choice while sending the new one. This one sets the select's value
//! after every change of it.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::form::select_value;

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub name: AttrValue,
    /// The chosen value; `""` for none.
    pub value: AttrValue,
    /// `(value, label)` of each option.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// The label of a first option with the value `""` ("choose…", "all"); none when unset.
    #[prop_or_default]
    pub empty: Option<AttrValue>,
    /// The value the user chose.
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub disabled: bool,
}

#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(
            (props.value.clone(), props.options.clone()),
            move |(value, _)| {
                if let Some(select) = node
                    .get()
                    .and_then(|n| n.dyn_into::<web_sys::HtmlSelectElement>().ok())
                    && select.value() != value.as_str()
                {
                    select.set_value(value);
                }
            },
        );
    }
    let onchange = props.onchange.reform(|e: Event| select_value(&e));
    html! {
        <select name={props.name.clone()} ref={node} {onchange} disabled={props.disabled}>
            { for props.empty.iter().map(|label| html!{
                <option value="" selected={props.value.is_empty()}>{ label.clone() }</option>
            }) }
            { for props.options.iter().map(|(value, label)| html!{
                <option key={value.to_string()} value={value.clone()} selected={props.value == *value}>{ label.clone() }</option>
            }) }
        </select>
    }
}

/// A callback that keeps the chosen value in `state`.
pub fn keep(state: &UseStateHandle<String>) -> Callback<String> {
    let state = state.clone();
    Callback::from(move |v: String| state.set(v))
}
