//! 议事会“1+3+N”会议记录 (000 二.2, 三(四)): the monthly council meeting — village, date (the 8th
//! by default), convener in rotation, the month's theme, attendees, recorder; the "1" must-discuss
//! issue, the three "3" must-talk subjects (each "未发现" or the items found), and the "N" topics
//! with their votes.
//!
//! The council roster (议事会成员) lives on the device, per village, so the page can suggest the
//! next convener offline. A "3" item found in the meeting opens as a prefilled visit record
//! (排查登记表); a visit draft with something typed in it is never replaced without asking.

use std::rc::Rc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::council::{
    self, CouncilMember, Meeting, MeetingInput, MemberType, MustTalkInput, MustTalkItemInput,
    TopicInput,
};
use shared::value::{PersonName, parse_date};
use shared::visit::Category;
use shared::{Lang, VisitInput};
use uuid::Uuid;
use yew::prelude::*;

use super::FormPageProps;
use crate::components::{
    Check, Choice, ChoiceField, FormAction, SaveError, TextField, TextKind, on_click, on_flag,
    on_text, unit_choices, use_draft_form, use_fitted_unit,
};
use crate::forms::FormKind;
use crate::i18n::tr;
use crate::route::{Route, use_navigator};
use crate::storage;

// ---------------------------------------------------------------------------------------------
// The "3" subjects.

/// "3" 必谈项: one of the three subjects every meeting talks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// 婚姻家事纠纷.
    Disputes,
    /// 家庭暴力现象.
    Violence,
    /// 未成年人性侵案件线索.
    ChildAbuse,
}

impl Subject {
    pub const ALL: [Subject; 3] = [Subject::Disputes, Subject::Violence, Subject::ChildAbuse];

    /// The field's key in the form (and in its field errors).
    pub fn key(self) -> &'static str {
        match self {
            Subject::Disputes => "disputes",
            Subject::Violence => "violence",
            Subject::ChildAbuse => "child_abuse",
        }
    }

    /// The visit record category an item of this subject becomes.
    pub fn category(self) -> Category {
        match self {
            Subject::Disputes => Category::MarriageDispute,
            Subject::Violence => Category::DomesticViolence,
            Subject::ChildAbuse => Category::ChildSexualAbuse,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Subject::Disputes => lang.pick("婚姻家事纠纷", "Marriage/family disputes"),
            Subject::Violence => lang.pick("家庭暴力现象", "Domestic violence"),
            Subject::ChildAbuse => lang.pick("未成年人性侵案件线索", "Child sexual-abuse clues"),
        }
    }

    pub fn of(self, m: &MeetingInput) -> &MustTalkInput {
        match self {
            Subject::Disputes => &m.disputes,
            Subject::Violence => &m.violence,
            Subject::ChildAbuse => &m.child_abuse,
        }
    }

    pub fn of_mut(self, m: &mut MeetingInput) -> &mut MustTalkInput {
        match self {
            Subject::Disputes => &mut m.disputes,
            Subject::Violence => &mut m.violence,
            Subject::ChildAbuse => &mut m.child_abuse,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dates and themes.

/// The meeting date a new record starts with: the 8th of this month (the collective meeting
/// day, 000 二.2) once it has come, else today (a date may not be in the future).
pub fn default_date(today: NaiveDate) -> NaiveDate {
    council::default_meeting_date(today.year(), today.month())
        .filter(|d| *d <= today)
        .unwrap_or(today)
}

/// A fresh meeting record.
pub fn blank(id: Uuid, today: NaiveDate) -> MeetingInput {
    MeetingInput {
        id,
        date: default_date(today).to_string(),
        ..Default::default()
    }
}

/// The month whose themes apply: the meeting date's, or this month's while the date is not a
/// date.
pub fn theme_month(input: &MeetingInput, today: NaiveDate) -> (i32, u32) {
    let d = parse_date(&input.date).unwrap_or(today);
    (d.year(), d.month())
}

/// What this device's outbox (sent or not) says of meetings and visit records: the themes
/// already used, the visit records already queued, the last meeting submitted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Queued {
    /// Oldest first (a receipt keeps a meeting's date, village and theme).
    pub meetings: Vec<MeetingInput>,
    /// Unsent visit records as typed (receipts keep none of the form).
    pub visits: Vec<VisitInput>,
    /// Every visit record in the outbox, sent or not.
    pub visit_ids: Vec<Uuid>,
    /// The meeting last submitted here, whole: its "3" items still to become visit records.
    pub last: Option<MeetingInput>,
}

/// Where the last submitted meeting is kept, for its "3" items.
const LAST_MEETING: &str = "last_meeting";

impl Queued {
    pub fn load() -> Queued {
        let mut q = Queued::default();
        for item in storage::load_outbox() {
            match item.kind {
                FormKind::Meeting => q.meetings.extend(shared::json::read_value(&item.body).ok()),
                FormKind::Visit => {
                    q.visit_ids.extend(item.record_id);
                    q.visits.extend(shared::json::read_value(&item.body).ok());
                }
                _ => {}
            }
        }
        q.last = storage::load_item(LAST_MEETING);
        q
    }

    /// Themes this village's meetings already had in `year`, as far as this device knows.
    pub fn themes_used(&self, village: &str, year: i32) -> Vec<String> {
        self.meetings
            .iter()
            .filter(|m| {
                m.org_unit == village && parse_date(&m.date).is_ok_and(|d| d.year() == year)
            })
            .map(|m| m.theme.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Whether the item's visit record is already queued.
    pub fn has_visit(&self, draft: &VisitInput) -> bool {
        self.visit_ids.contains(&draft.id) || self.visits.iter().any(|v| same_record(v, draft))
    }

    /// The newest meeting submitted, whose "3" items may still become visit records.
    pub fn last_meeting(&self) -> Option<&MeetingInput> {
        self.last.as_ref()
    }
}

// ---------------------------------------------------------------------------------------------
// The council roster, kept on the device.

/// Where a village's council roster is kept (in the vault: members' names are personal).
pub fn roster_key(village: &str) -> String {
    format!("roster:{village}")
}

/// 议事会成员 as typed on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RosterMember {
    pub name: String,
    pub member_type: MemberType,
    /// 议事小组召集人: takes turns convening.
    pub convener: bool,
}

impl Default for RosterMember {
    fn default() -> Self {
        RosterMember {
            name: String::new(),
            member_type: MemberType::Other,
            convener: false,
        }
    }
}

/// A village's council as this device knows it, and who convened its last meeting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Roster {
    pub members: Vec<RosterMember>,
    pub last_convener: Option<String>,
}

impl Roster {
    /// The members whose names are names (a row being typed is left out).
    pub fn council(&self) -> Vec<CouncilMember> {
        self.members
            .iter()
            .filter_map(|m| {
                Some(CouncilMember {
                    name: PersonName::parse(&m.name).ok()?,
                    phone: None,
                    member_type: m.member_type,
                    groups: Vec::new(),
                    convener: m.convener,
                })
            })
            .collect()
    }

    /// 轮值建议: the next convener after the last one (`shared::council::next_convener`).
    pub fn next_convener(&self) -> Option<String> {
        council::next_convener(&self.council(), self.last_convener.as_deref())
            .map(|n| n.to_string())
    }
}

/// The roster of `village`.
pub fn load_roster(village: &str) -> Roster {
    if village.is_empty() {
        return Roster::default();
    }
    storage::load_item(&roster_key(village)).unwrap_or_default()
}

pub fn save_roster(village: &str, roster: &Roster) {
    if !village.is_empty() && storage::save_item_as(&roster_key(village), roster).is_err() {
        gloo::console::error!("council roster not kept: no vault is open");
    }
}

#[derive(Clone, PartialEq)]
struct RosterState {
    village: String,
    roster: Roster,
    /// The member list starts open while the village has none; it is not closed under the
    /// user's hands once they add one.
    start_open: bool,
}

impl RosterState {
    fn load(village: String) -> RosterState {
        let roster = load_roster(&village);
        RosterState {
            start_open: roster.members.is_empty(),
            roster,
            village,
        }
    }
}

enum RosterAction {
    /// The form's village changed: its roster.
    Load(String),
    Edit(Rc<dyn Fn(&mut Roster)>),
}

impl Reducible for RosterState {
    type Action = RosterAction;

    fn reduce(self: Rc<Self>, action: RosterAction) -> Rc<Self> {
        match action {
            RosterAction::Load(village) if village == self.village => self,
            RosterAction::Load(village) => Rc::new(RosterState::load(village)),
            RosterAction::Edit(f) => {
                let mut next = (*self).clone();
                f(&mut next.roster);
                // Saved at once, like a draft.
                save_roster(&next.village, &next.roster);
                Rc::new(next)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A "3" item → a visit record draft.

/// The visit record a "3" item becomes, from the meeting as typed (the same fields
/// `shared::council::visit_draft_from_item` fills from a checked meeting): the item's category,
/// party and summary, the meeting's village, its date (today while it is not a past date) and
/// its recorder as the visitor.
pub fn visit_draft_for(
    meeting: &MeetingInput,
    subject: Subject,
    item: &MustTalkItemInput,
    id: Uuid,
    today: NaiveDate,
) -> VisitInput {
    let date = parse_date(&meeting.date)
        .ok()
        .filter(|d| *d <= today)
        .unwrap_or(today);
    let mut draft = VisitInput::blank(id, date);
    draft.org_unit = meeting.org_unit.trim().to_owned();
    draft.category = subject.category().code().to_owned();
    draft.parties[0].name = item.party.trim().to_owned();
    draft.summary = item.summary.trim().to_owned();
    draft.visitor = meeting.recorder.trim().to_owned();
    draft
}

/// Whether two visit drafts are the same record: one id, or one item (category, party and
/// summary).
pub fn same_record(a: &VisitInput, b: &VisitInput) -> bool {
    let party = |v: &VisitInput| v.parties.first().map(|p| p.name.trim().to_owned());
    a.id == b.id
        || (a.category == b.category
            && party(a) == party(b)
            && a.summary.trim() == b.summary.trim())
}

// ---------------------------------------------------------------------------------------------
// The page.

/// Where the item's visit record stands, for its button.
#[derive(Clone, Copy, PartialEq)]
enum ItemVisit {
    /// Not started: the button opens a prefilled draft.
    New,
    /// The visit draft is this item's record.
    Drafting,
    /// Already in the outbox.
    Queued,
}

fn item_visit(queued: &Queued, draft: &VisitInput) -> ItemVisit {
    if queued.has_visit(draft) {
        ItemVisit::Queued
    } else if storage::draft_of_record(FormKind::Visit, draft.id).is_some() {
        ItemVisit::Drafting
    } else {
        ItemVisit::New
    }
}

#[component]
pub fn MeetingPage(p: &FormPageProps) -> Html {
    let lang = p.lang;
    let today = crate::today();
    let (form, drafts) = use_draft_form(FormKind::Meeting, lang, move || {
        blank(crate::new_id(), crate::today())
    });
    let roster = use_reducer(|| RosterState::load(form.input.org_unit.clone()));
    let handoff_error = use_state(|| false);
    // The outbox's meetings and visit records (re-read after a submit; a visit record is
    // queued on another page, which remounts this one).
    let queued = use_state(Queued::load);
    let navigator = use_navigator();
    let themes = use_memo((), |_| crate::replica::themes(crate::today().year() as u16));

    let villages = unit_choices(&p.units, "village");
    use_fitted_unit(&form, villages.clone(), |i| &mut i.org_unit);
    use_effect_with(form.input.org_unit.clone(), {
        let roster = roster.dispatcher();
        move |village: &String| roster.dispatch(RosterAction::Load(village.clone()))
    });

    let parsed = Meeting::parse(&form.input, today);
    let errors = parsed.as_ref().err();
    let err = |key: &str| -> Option<AttrValue> {
        if !form.shows(key) {
            return None;
        }
        errors
            .and_then(|e| e.get(key))
            .map(|e| AttrValue::from(e.message(lang).to_owned()))
    };
    let d = form.dispatcher();
    let input = &form.input;
    let t = |zh: &'static str, en: &'static str| tr(lang, zh, en);

    // Opens the item's visit record: its draft if there is one, else a new draft prefilled
    // from the item (linked to the form's item), each a draft of its own — nothing typed on
    // the visit form is ever replaced.
    let open_item = {
        let form = form.clone();
        let (navigator, handoff_error) = (navigator.clone(), handoff_error.clone());
        move |meeting: &MeetingInput, subject: Subject, n: usize, from_form: bool| {
            let item = subject
                .of(meeting)
                .items
                .get(n)
                .cloned()
                .unwrap_or_default();
            let meeting = meeting.clone();
            let (form, navigator, handoff_error) =
                (form.clone(), navigator.clone(), handoff_error.clone());
            Callback::from(move |_: MouseEvent| {
                let id = item.visit_id.unwrap_or_else(crate::new_id);
                let opened = match storage::draft_of_record(FormKind::Visit, id) {
                    Some(draft) => {
                        storage::set_current_draft(FormKind::Visit, Some(draft));
                        Ok(())
                    }
                    None => {
                        let draft = visit_draft_for(&meeting, subject, &item, id, crate::today());
                        storage::start_draft(FormKind::Visit, &draft).map(|_| ())
                    }
                };
                if opened.is_err() {
                    handoff_error.set(true);
                    return;
                }
                let apply = move |m: &mut MeetingInput| {
                    if let Some(item) = subject.of_mut(m).items.get_mut(n) {
                        item.visit_id = Some(id);
                    }
                };
                if !from_form {
                    // The submitted meeting's item names its record too, so it is known as
                    // done once the record is sent (a receipt keeps no form to match).
                    let mut last = meeting.clone();
                    apply(&mut last);
                    let _ = storage::save_item_as(LAST_MEETING, &last);
                }
                if from_form {
                    // Kept now: the page is about to go.
                    let mut linked = form.input.clone();
                    apply(&mut linked);
                    let _ = storage::save_draft(form.draft, FormKind::Meeting, &linked, None, true);
                    storage::set_current_draft(FormKind::Meeting, Some(form.draft));
                    form.dispatch(FormAction::Edit {
                        keys: vec![],
                        apply: Rc::new(apply),
                    });
                }
                if let Some(nav) = &navigator {
                    nav.push(&Route::Visit);
                }
            })
        }
    };

    let onsubmit = {
        let form = form.clone();
        let roster = roster.dispatcher();
        let queued = queued.clone();
        let on_queued = p.on_queued.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if Meeting::parse(&form.input, crate::today()).is_err() {
                form.dispatch(FormAction::ShowAllErrors);
                focus_first_error();
                return;
            }
            let stored = storage::enqueue_page(
                FormKind::Meeting,
                form.input.id,
                form.editing.as_ref().map(|e| e.version),
                &form.input,
                js_sys::Date::now(),
            );
            match stored {
                Ok(()) => {
                    // The rotation moves on from this meeting's convener.
                    let convener = form.input.convener.trim().to_owned();
                    if !convener.is_empty() {
                        roster.dispatch(RosterAction::Edit(Rc::new(move |r| {
                            r.last_convener = Some(convener.clone())
                        })));
                    }
                    let _ = storage::save_item_as(LAST_MEETING, &form.input);
                    queued.set(Queued::load());
                    // Next month's meeting: same village and, usually, the same recorder.
                    let mut next = blank(crate::new_id(), crate::today());
                    next.org_unit = form.input.org_unit.clone();
                    next.recorder = form.input.recorder.clone();
                    form.dispatch(FormAction::Replace(Box::new(next)));
                    on_queued.emit(());
                    show_last_meeting();
                }
                Err(_) => form.dispatch(FormAction::SaveFailed),
            }
        })
    };

    // --- Convener and theme suggestions.
    let suggested_convener = roster.roster.next_convener();
    let has_conveners = roster.roster.members.iter().any(|m| m.convener);
    let (year, month) = theme_month(input, today);
    let used = queued.themes_used(&input.org_unit, year);
    let month_themes = themes.for_month(month).to_vec();
    let suggested_theme = themes.suggest(month, &used).map(str::to_owned);
    let set_theme =
        |theme: String| on_click(&d, vec!["theme".into()], move |i| i.theme = theme.clone());

    // --- Attendees.
    let attendees = input.attendees.iter().enumerate().map(|(n, a)| {
        let key = format!("attendees[{n}]");
        html! {
            <div class="attendee" key={n}>
                <TextField name={key.clone()} label={format!("{} {}", t("参会人员", "Attendee"), n + 1)}
                    value={a.clone()} error={err(&key)}
                    on_change={on_text(&d, vec![key.clone()], move |i, v| {
                        if let Some(a) = i.attendees.get_mut(n) { *a = v }
                    })} />
                <button type="button" class="link danger" aria-label={t("删除此参会人员", "Remove attendee")}
                    onclick={on_click(&d, vec![], move |i| { if n < i.attendees.len() { i.attendees.remove(n); } })}>
                    {"×"}
                </button>
            </div>
        }
    });
    let member_names: Vec<String> = roster
        .roster
        .council()
        .into_iter()
        .map(|m| m.name.to_string())
        .collect();
    let add_all_members = {
        let names = member_names.clone();
        on_click(&d, vec![], move |i| {
            i.attendees.retain(|a| !a.trim().is_empty());
            for name in &names {
                if !i.attendees.iter().any(|a| a.trim() == name) {
                    i.attendees.push(name.clone());
                }
            }
        })
    };

    // --- The "3".
    let must_talk = Subject::ALL.into_iter().map(|s| {
        let key = s.key();
        let mt = s.of(input);
        let items = mt.items.iter().enumerate().map(|(n, item)| {
            let k = |f: &str| format!("{key}.items[{n}].{f}");
            let edit = |field: &str, f: fn(&mut MustTalkItemInput, String)| {
                on_text(&d, vec![k(field)], move |i, v| {
                    if let Some(it) = s.of_mut(i).items.get_mut(n) {
                        f(it, v)
                    }
                })
            };
            let draft = visit_draft_for(input, s, item, item.visit_id.unwrap_or_else(Uuid::nil), today);
            let state = item_visit(&queued, &draft);
            let ready = !item.party.trim().is_empty();
            html! {
                <fieldset class="row must-talk-item" key={n}>
                    <legend>{format!("{} {}", s.label(lang), n + 1)}</legend>
                    <TextField name={k("party")} label={t("当事人", "Party")} required=true
                        value={item.party.clone()} error={err(&k("party"))}
                        on_change={edit("party", |it, v| it.party = v)} />
                    <div class="wide">
                        <TextField name={k("summary")} label={t("情况概述", "Summary")} required=true
                            kind={TextKind::Multiline} value={item.summary.clone()} error={err(&k("summary"))}
                            on_change={edit("summary", |it, v| it.summary = v)} />
                    </div>
                    <div class="item-actions">
                        { to_visit_button(lang, s, n, state, ready, open_item(input, s, n, true)) }
                        <button type="button" class="link danger"
                            onclick={on_click(&d, vec![key.to_owned()], move |i| {
                                let items = &mut s.of_mut(i).items;
                                if n < items.len() { items.remove(n); }
                            })}>
                            {t("删除此项", "Remove item")}
                        </button>
                    </div>
                </fieldset>
            }
        });
        html! {
            <div class={classes!("must-talk", err(key).is_some().then_some("has-error"))} data-subject={key}
                id={format!("f-{key}")}>
                <div class="must-talk-head">
                    <h4>{s.label(lang)}</h4>
                    <Check name={format!("{key}.none_found")} label={t("未发现", "None found")}
                        checked={mt.none_found}
                        on_change={on_flag(&d, key.to_owned(), move |i, v| s.of_mut(i).none_found = v)} />
                </div>
                { for items }
                if let Some(e) = err(key) { <p class="error" role="alert">{e}</p> }
                <button type="button" class="secondary" id={format!("add-{key}-item")}
                    onclick={on_click(&d, vec![key.to_owned()], move |i| {
                        let mt = s.of_mut(i);
                        // Found something after all: no longer "none found".
                        mt.none_found = false;
                        mt.items.push(MustTalkItemInput::default());
                    })}>
                    {t("＋ 发现一项", "+ Add an item found")}
                </button>
            </div>
        }
    });

    // --- The "N".
    let present = input.attendees.len();
    let topics = input.topics.iter().enumerate().map(|(n, topic)| {
        let k = |f: &str| format!("topics[{n}].{f}");
        let edit = |field: &str, f: fn(&mut TopicInput, String)| {
            on_text(&d, vec![k(field)], move |i, v| {
                if let Some(x) = i.topics.get_mut(n) {
                    f(x, v)
                }
            })
        };
        let vote = |field: &str, f: fn(&mut TopicInput, String)| {
            on_text(&d, vec![k(field), k("votes")], move |i, v| {
                if let Some(x) = i.topics.get_mut(n) {
                    f(x, v)
                }
            })
        };
        let num = |s: &str| s.trim().parse::<u32>().unwrap_or(0);
        let cast = num(&topic.votes_for) + num(&topic.votes_against) + num(&topic.abstentions);
        html! {
            <fieldset class="row topic" key={n}>
                <legend>{format!("{} {}", t("议题", "Topic"), n + 1)}</legend>
                <div class="wide">
                    <TextField name={k("topic")} label={t("议题名称", "Topic")} required=true
                        value={topic.topic.clone()} error={err(&k("topic"))}
                        on_change={edit("topic", |x, v| x.topic = v)} />
                </div>
                <div class="wide">
                    <TextField name={k("discussion")} label={t("讨论情况", "Discussion")}
                        kind={TextKind::Multiline} value={topic.discussion.clone()} error={err(&k("discussion"))}
                        on_change={edit("discussion", |x, v| x.discussion = v)} />
                </div>
                <div class="votes wide">
                    <TextField name={k("votes_for")} label={t("赞成", "For")} kind={TextKind::Number}
                        value={topic.votes_for.clone()} error={err(&k("votes_for"))}
                        on_change={vote("votes_for", |x, v| x.votes_for = v)} />
                    <TextField name={k("votes_against")} label={t("反对", "Against")} kind={TextKind::Number}
                        value={topic.votes_against.clone()} error={err(&k("votes_against"))}
                        on_change={vote("votes_against", |x, v| x.votes_against = v)} />
                    <TextField name={k("abstentions")} label={t("弃权", "Abstain")} kind={TextKind::Number}
                        value={topic.abstentions.clone()} error={err(&k("abstentions"))}
                        on_change={vote("abstentions", |x, v| x.abstentions = v)} />
                </div>
                <p class={classes!("vote-sum", "wide", (cast as usize > present).then_some("over"))}
                    data-cast={cast.to_string()}>
                    { match lang {
                        Lang::Zh => format!("已表决 {cast} 票 / 参会 {present} 人"),
                        Lang::En => format!("{cast} votes cast / {present} present"),
                    } }
                </p>
                if let Some(e) = err(&k("votes")) { <p class="error wide" role="alert">{e}</p> }
                <button type="button" class="link danger"
                    onclick={on_click(&d, vec![], move |i| { if n < i.topics.len() { i.topics.remove(n); } })}>
                    {t("删除此议题", "Remove topic")}
                </button>
            </fieldset>
        }
    });

    // --- The roster editor.
    let r = roster.dispatcher();
    let roster_edit = |f: Rc<dyn Fn(&mut Roster)>| {
        let r = r.clone();
        move || r.dispatch(RosterAction::Edit(f.clone()))
    };
    let member_types: Vec<Choice> = MemberType::ALL
        .iter()
        .map(|m| Choice {
            value: member_type_code(*m).into(),
            label: m.label(lang).into(),
        })
        .collect();
    let roster_rows = roster.roster.members.iter().enumerate().map(|(n, m)| {
        let name_edit = {
            let r = r.clone();
            Callback::from(move |v: String| {
                r.dispatch(RosterAction::Edit(Rc::new(move |ro: &mut Roster| {
                    if let Some(m) = ro.members.get_mut(n) {
                        m.name = v.clone()
                    }
                })))
            })
        };
        let type_edit = {
            let r = r.clone();
            Callback::from(move |v: String| {
                let Some(ty) = member_type_from_code(&v) else { return };
                r.dispatch(RosterAction::Edit(Rc::new(move |ro: &mut Roster| {
                    if let Some(m) = ro.members.get_mut(n) {
                        m.member_type = ty
                    }
                })))
            })
        };
        let convener_edit = {
            let r = r.clone();
            Callback::from(move |v: bool| {
                r.dispatch(RosterAction::Edit(Rc::new(move |ro: &mut Roster| {
                    if let Some(m) = ro.members.get_mut(n) {
                        m.convener = v
                    }
                })))
            })
        };
        let remove = roster_edit(Rc::new(move |ro: &mut Roster| {
            if n < ro.members.len() {
                ro.members.remove(n);
            }
        }));
        html! {
            <div class="roster-row" key={n}>
                <TextField name={format!("roster[{n}].name")} label={t("姓名", "Name")}
                    value={m.name.clone()} on_change={name_edit} />
                <ChoiceField name={format!("roster[{n}].member_type")} label={t("成员类别", "Member type")}
                    value={member_type_code(m.member_type)} choices={member_types.clone()} on_change={type_edit} />
                <Check name={format!("roster[{n}].convener")} label={t("召集人", "Convener")}
                    checked={m.convener} on_change={convener_edit} />
                <button type="button" class="link danger" onclick={move |_| remove()}>
                    {t("删除", "Remove")}
                </button>
            </div>
        }
    });
    let add_member = roster_edit(Rc::new(|ro: &mut Roster| {
        ro.members.push(RosterMember::default())
    }));

    // --- The last submitted meeting's items.
    let last_items = queued.last_meeting().and_then(|m| {
        let rows: Vec<Html> = Subject::ALL
            .into_iter()
            .flat_map(|s| {
                s.of(m)
                    .items
                    .iter()
                    .enumerate()
                    .map(move |(n, item)| (s, n, item))
            })
            .filter(|(_, _, item)| !item.party.trim().is_empty())
            .filter_map(|(s, n, item)| {
                let draft = visit_draft_for(m, s, item, item.visit_id.unwrap_or_else(Uuid::nil), today);
                let state = item_visit(&queued, &draft);
                // Items whose records are queued are done with.
                (state != ItemVisit::Queued).then(|| html! {
                    <li>
                        <span class="cat">{s.label(lang)}</span>
                        <b>{item.party.trim().to_owned()}</b>
                        <span class="summary">{item.summary.trim().chars().take(40).collect::<String>()}</span>
                        { to_visit_button(lang, s, n, state, true, open_item(m, s, n, false)) }
                    </li>
                })
            })
            .collect();
        (!rows.is_empty()).then(|| html! {
            <section class="last-meeting" id="last-meeting">
                <h3>{t("已提交会议发现的线索", "Items found in the submitted meeting")}
                    <small class="hint">{format!(" {}", m.date)}</small></h3>
                <p class="hint">{t("每条线索都要填写排查登记表上报：点击即打开已预填的登记表。",
                    "Every item found is reported on a visit record: click to open one prefilled.")}</p>
                <ul>{ for rows }</ul>
            </section>
        })
    });

    let item_count: usize = Subject::ALL.iter().map(|s| s.of(input).items.len()).sum();
    let error_count = errors.map_or(0, |e| e.0.len());

    html! {
        <div class="mt-page">
            <form class="mt-form" {onsubmit} novalidate=true>
                <h2>{t("妇女议事会“1+3+N”会议记录", "Women's council “1+3+N” meeting record")}</h2>
                {drafts}
                if form.save_error {
                    <SaveError {lang} />
                }
                if *handoff_error {
                    <SaveError {lang} />
                }
                {last_items}
                <section>
                    <h3>{t("会议信息", "Meeting")}</h3>
                    <div class="grid">
                        <ChoiceField name="org_unit" label={t("所属村（社区）", "Village")} required=true
                            value={input.org_unit.clone()} choices={villages.clone()} error={err("org_unit")}
                            on_change={on_text(&d, vec!["org_unit".into()], |i, v| i.org_unit = v)} />
                        <TextField name="date" label={t("会议日期", "Meeting date")} kind={TextKind::Date}
                            required=true value={input.date.clone()} error={err("date")}
                            hint={t("原则上每月8日集中议事", "Collective meetings are on the 8th")}
                            on_change={on_text(&d, vec!["date".into()], |i, v| i.date = v)} />
                    </div>
                    if villages.is_empty() {
                        <p class="hint">{t("当前账号下没有村（社区）单位，无法提交会议记录。",
                            "This account has no village units: meeting records cannot be submitted.")}</p>
                    }
                    <div class="grid">
                        <div>
                            <TextField name="convener" label={t("召集人", "Convener")}
                                value={input.convener.clone()} error={err("convener")}
                                on_change={on_text(&d, vec!["convener".into()], |i, v| i.convener = v)} />
                            { match &suggested_convener {
                                Some(name) => {
                                    let is_set = input.convener.trim() == name;
                                    let fill = {
                                        let name = name.clone();
                                        on_click(&d, vec!["convener".into()], move |i| i.convener = name.clone())
                                    };
                                    html! {
                                        <p class="suggest" id="convener-suggestion" data-name={name.clone()}>
                                            {t("轮值建议：", "Next in rotation: ")}<b>{name.clone()}</b>
                                            if let Some(prev) = &roster.roster.last_convener {
                                                <small class="hint">{match lang {
                                                    Lang::Zh => format!("（上次召集：{prev}）"),
                                                    Lang::En => format!(" (last: {prev})"),
                                                }}</small>
                                            }
                                            if is_set {
                                                <span class="ok">{" ✓"}</span>
                                            } else {
                                                <button type="button" class="chip" id="use-convener" onclick={fill}>
                                                    {t("采用", "Use")}
                                                </button>
                                            }
                                        </p>
                                    }
                                }
                                None => html! {
                                    <p class="hint" id="convener-suggestion">
                                        if has_conveners || roster.roster.members.is_empty() {
                                            {t("在下方“议事会成员”中登记成员并勾选召集人，即可按轮值建议召集人。",
                                               "Add the council members below and tick the conveners to get the rotation's suggestion.")}
                                        } else {
                                            {t("议事会成员中还没有勾选召集人。", "No council member is ticked as convener yet.")}
                                        }
                                    </p>
                                },
                            } }
                        </div>
                        <TextField name="recorder" label={t("记录人", "Recorder")} required=true
                            value={input.recorder.clone()} error={err("recorder")}
                            on_change={on_text(&d, vec!["recorder".into()], |i, v| i.recorder = v)} />
                    </div>
                    <TextField name="theme" label={t("议事主题", "Theme")}
                        value={input.theme.clone()} error={err("theme")}
                        on_change={on_text(&d, vec!["theme".into()], |i, v| i.theme = v)} />
                    <div class="themes" id="month-themes">
                        <span class="hint">{match lang {
                            Lang::Zh => format!("{month}月“月月谈”主题（附件1）："),
                            Lang::En => format!("Themes for month {month}: "),
                        }}</span>
                        if month_themes.is_empty() {
                            <span class="none">{t("本月没有主题", "None this month")}</span>
                        }
                        { for month_themes.iter().map(|theme| {
                            let suggested = suggested_theme.as_deref() == Some(theme.as_str());
                            let chosen = input.theme.trim() == theme;
                            html! {
                                <button type="button" id={suggested.then_some("theme-suggest")}
                                    class={classes!("chip", "theme-chip", suggested.then_some("suggested"), chosen.then_some("chosen"))}
                                    data-theme={theme.clone()} onclick={set_theme(theme.clone())}>
                                    if suggested && !chosen { <small class="tag">{t("建议", "Suggested")}</small> }
                                    if chosen { <small class="tag">{"✓"}</small> }
                                    {theme.clone()}
                                </button>
                            }
                        }) }
                    </div>
                </section>
                <section>
                    <h3>{t("参会人员", "Attendees")}<small class="hint" id="attendee-count">{match lang {
                        Lang::Zh => format!("（{present} 人）"),
                        Lang::En => format!(" ({present})"),
                    }}</small></h3>
                    <div class="attendees">{ for attendees }</div>
                    <div class="row-actions">
                        <button type="button" class="secondary" id="add-attendee"
                            onclick={on_click(&d, vec![], |i| i.attendees.push(String::new()))}>
                            {t("＋ 添加参会人员", "+ Add attendee")}
                        </button>
                        if !member_names.is_empty() {
                            <button type="button" class="secondary" id="add-all-members" onclick={add_all_members}>
                                {t("＋ 全体议事会成员", "+ All council members")}
                            </button>
                        }
                    </div>
                </section>
                <section>
                    <h3>{t("“1”必议项", "“1” must-discuss issue")}</h3>
                    <TextField name="must_discuss" label={t("涉及妇女儿童权益的重点热点事项", "The key women/children rights issue")}
                        required=true kind={TextKind::Multiline} value={input.must_discuss.clone()}
                        error={err("must_discuss")}
                        on_change={on_text(&d, vec!["must_discuss".into()], |i, v| i.must_discuss = v)} />
                </section>
                <section>
                    <h3>{t("“3”必谈项", "“3” must-talk subjects")}</h3>
                    <p class="hint">{t("每一项都要谈：勾选“未发现”，或填写发现的事项。",
                        "Each is talked about: tick “none found”, or add what was found.")}</p>
                    { for must_talk }
                </section>
                <section>
                    <h3>{t("“N”多议项", "“N” other topics")}</h3>
                    { for topics }
                    <button type="button" class="secondary" id="add-topic"
                        onclick={on_click(&d, vec![], |i| i.topics.push(TopicInput::default()))}>
                        {t("＋ 添加议题", "+ Add topic")}
                    </button>
                </section>
                <div class="actions">
                    <button type="submit" class="primary">{t("提交", "Submit")}</button>
                    <small class="hint">{t(
                        "提交后记录进入待发送队列，联网时自动发送；草稿随时自动保存。",
                        "Submitted records wait in the outbox and are sent when online; drafts save automatically.")}</small>
                </div>
                <details class="roster" id="roster" open={roster.start_open}>
                    <summary>
                        {t("议事会成员（保存在本机，用于召集人轮值）", "Council members (kept on this device, for the convener rotation)")}
                        <small class="hint">{format!(" {}", roster.roster.members.len())}</small>
                    </summary>
                    if input.org_unit.is_empty() {
                        <p class="hint">{t("请先选择村（社区）。", "Choose the village first.")}</p>
                    } else {
                        { for roster_rows }
                        <button type="button" class="secondary" id="add-member" onclick={move |_| add_member()}>
                            {t("＋ 添加成员", "+ Add member")}
                        </button>
                    }
                </details>
            </form>
            <aside class="preview mt-preview" aria-live="polite">
                <h3>{t("“1+3+N” 完成情况", "“1+3+N” at a glance")}</h3>
                <ul class="mt-status">
                    <li data-state={if input.must_discuss.trim().is_empty() { "todo" } else { "done" }}>
                        <span class="mark">{"1"}</span>
                        { if input.must_discuss.trim().is_empty() { t("必议项未填写", "Must-discuss issue missing") }
                          else { t("必议项已填写", "Must-discuss issue written") } }
                    </li>
                    { for Subject::ALL.into_iter().map(|s| {
                        let mt = s.of(input);
                        let (state, text) = match (mt.none_found, mt.items.len()) {
                            (true, 0) => ("done", lang.pick("未发现", "none found").to_owned()),
                            (false, 0) => ("todo", lang.pick("待填写", "to do").to_owned()),
                            (true, _) => ("conflict", lang.pick("既勾选未发现又填写了事项", "both none found and items").to_owned()),
                            (false, n) => ("found", match lang {
                                Lang::Zh => format!("发现 {n} 项"),
                                Lang::En => format!("{n} found"),
                            }),
                        };
                        html! {
                            <li data-state={state} data-subject={s.key()}>
                                <span class="mark">{"3"}</span>
                                {s.label(lang)}{lang.pick("：", ": ")}{text}
                            </li>
                        }
                    }) }
                    <li data-state="done">
                        <span class="mark">{"N"}</span>
                        { match lang {
                            Lang::Zh => format!("多议项 {} 个", input.topics.len()),
                            Lang::En => format!("{} other topics", input.topics.len()),
                        } }
                    </li>
                </ul>
                if item_count > 0 {
                    <p class="hint">{ match lang {
                        Lang::Zh => format!("发现的 {item_count} 项线索都要填写排查登记表上报。"),
                        Lang::En => format!("Items found: {item_count}. Each needs a visit record."),
                    } }</p>
                }
                <p id="mt-ready" class={classes!("ready", (error_count == 0).then_some("ok"))}
                    data-errors={error_count.to_string()}>
                    { if error_count == 0 { t("可以提交", "Ready to submit").to_string() }
                      else { match lang {
                          Lang::Zh => format!("还有 {error_count} 处需要填写或修改"),
                          Lang::En => format!("{error_count} fields still need attention"),
                      } } }
                </p>
            </aside>
        </div>
    }
}

/// The button that opens a "3" item as a visit record.
fn to_visit_button(
    lang: Lang,
    subject: Subject,
    n: usize,
    state: ItemVisit,
    ready: bool,
    onclick: Callback<MouseEvent>,
) -> Html {
    let (label, state_code) = match state {
        ItemVisit::New => (lang.pick("转为排查登记表", "Open as a visit record"), "new"),
        ItemVisit::Drafting => (
            lang.pick("继续填写排查登记表", "Continue its visit record"),
            "drafting",
        ),
        ItemVisit::Queued => (
            lang.pick("排查登记表已提交", "Visit record submitted"),
            "queued",
        ),
    };
    html! {
        <button type="button" class="secondary to-visit" data-subject={subject.key()}
            data-index={n.to_string()} data-state={state_code}
            disabled={!ready || state == ItemVisit::Queued} {onclick}
            title={if ready { "" } else { lang.pick("请先填写当事人", "Fill in the party first") }}>
            {label}
        </button>
    }
}

/// The storage code of a member type (its serde name).
pub fn member_type_code(m: MemberType) -> String {
    crate::to_value(&m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn member_type_from_code(code: &str) -> Option<MemberType> {
    shared::json::read_value(&serde_json::Value::String(code.to_owned())).ok()
}

/// After a submit: the items found wait at the top of the page; bring them into view.
fn show_last_meeting() {
    gloo::timers::callback::Timeout::new(0, || {
        if let Ok(Some(el)) = gloo::utils::document().query_selector("#last-meeting") {
            el.scroll_into_view();
        }
    })
    .forget();
}

fn focus_first_error() {
    // After the re-render that marks the fields invalid.
    gloo::timers::callback::Timeout::new(0, || {
        let doc = gloo::utils::document();
        let selector = ".mt-form [aria-invalid=\"true\"], .mt-form .has-error input, .mt-form .has-error select";
        if let Ok(Some(el)) = doc.query_selector(selector) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    })
    .forget();
}
