//! The yearly selections (德治评选): campaigns for an award at the level that selects it,
//! nominations, shortlists, selection within a quota, and the honour roll.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::codes::RegionLevel;
use crate::validate::{self, FieldErrors};

/// The awards, each selected at one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Award {
    /// 最美合川人 (district)
    MostBeautiful,
    /// 新乡贤 (district)
    NewSage,
    /// 身边好人 (town)
    GoodPerson,
    /// 乡村榜样 (town)
    VillageModel,
    /// 好家庭 (community)
    GoodFamily,
    /// 好家训 (community)
    GoodFamilyMotto,
    /// 好婆媳 (community)
    GoodInLaws,
}

impl Award {
    pub const ALL: [Award; 7] = [
        Award::MostBeautiful,
        Award::NewSage,
        Award::GoodPerson,
        Award::VillageModel,
        Award::GoodFamily,
        Award::GoodFamilyMotto,
        Award::GoodInLaws,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Award::MostBeautiful => "most_beautiful",
            Award::NewSage => "new_sage",
            Award::GoodPerson => "good_person",
            Award::VillageModel => "village_model",
            Award::GoodFamily => "good_family",
            Award::GoodFamilyMotto => "good_family_motto",
            Award::GoodInLaws => "good_in_laws",
        }
    }

    pub fn parse(s: &str) -> Option<Award> {
        Award::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The level whose regions select this award.
    pub fn level(self) -> RegionLevel {
        match self {
            Award::MostBeautiful | Award::NewSage => RegionLevel::District,
            Award::GoodPerson | Award::VillageModel => RegionLevel::Town,
            Award::GoodFamily | Award::GoodFamilyMotto | Award::GoodInLaws => {
                RegionLevel::Community
            }
        }
    }

    /// The award's name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            Award::MostBeautiful => "最美合川人",
            Award::NewSage => "新乡贤",
            Award::GoodPerson => "身边好人",
            Award::VillageModel => "乡村榜样",
            Award::GoodFamily => "好家庭",
            Award::GoodFamilyMotto => "好家训",
            Award::GoodInLaws => "好婆媳",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Open,
    Closed,
    Announced,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
            CampaignStatus::Announced => "announced",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignStatus> {
        match s {
            "open" => Some(CampaignStatus::Open),
            "closed" => Some(CampaignStatus::Closed),
            "announced" => Some(CampaignStatus::Announced),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignAction {
    Close,
    Announce,
}

impl CampaignAction {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignAction::Close => "close",
            CampaignAction::Announce => "announce",
        }
    }
}

/// A campaign's state machine: `open → closed → announced`.
pub fn campaign_transition(from: CampaignStatus, action: CampaignAction) -> Option<CampaignStatus> {
    match (from, action) {
        (CampaignStatus::Open, CampaignAction::Close) => Some(CampaignStatus::Closed),
        (CampaignStatus::Closed, CampaignAction::Announce) => Some(CampaignStatus::Announced),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NominationStatus {
    Nominated,
    Shortlisted,
    Selected,
    Declined,
}

impl NominationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NominationStatus::Nominated => "nominated",
            NominationStatus::Shortlisted => "shortlisted",
            NominationStatus::Selected => "selected",
            NominationStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<NominationStatus> {
        match s {
            "nominated" => Some(NominationStatus::Nominated),
            "shortlisted" => Some(NominationStatus::Shortlisted),
            "selected" => Some(NominationStatus::Selected),
            "declined" => Some(NominationStatus::Declined),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NominationAction {
    Shortlist,
    Select,
    Decline,
}

impl NominationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            NominationAction::Shortlist => "shortlist",
            NominationAction::Select => "select",
            NominationAction::Decline => "decline",
        }
    }
}

/// A nomination's state machine (the campaign must not be announced yet).
pub fn nomination_transition(
    from: NominationStatus,
    action: NominationAction,
) -> Option<NominationStatus> {
    use NominationAction as A;
    use NominationStatus as S;
    match (from, action) {
        (S::Nominated, A::Shortlist) => Some(S::Shortlisted),
        (S::Shortlisted, A::Select) => Some(S::Selected),
        (S::Nominated | S::Shortlisted, A::Decline) => Some(S::Declined),
        _ => None,
    }
}

/// `POST /campaigns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    pub id: Uuid,
    pub award: Award,
    /// A region at the award's level.
    pub region_code: String,
    #[cfg_attr(feature = "openapi", schema(minimum = 2000, maximum = 2100))]
    pub year: i32,
    /// How many may be selected (1 or more).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub quota: i32,
    /// No nominations from this instant on.
    #[serde(with = "crate::utc")]
    pub nominations_close: DateTime<Utc>,
}

impl NewCampaign {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        match RegionLevel::from_code_len(self.region_code.len()) {
            Some(level) if self.region_code.bytes().all(|b| b.is_ascii_digit()) => {
                if level != self.award.level() {
                    e.push(
                        "region_code",
                        format!(
                            "{} is selected by a {} region",
                            self.award.as_str(),
                            self.award.level().as_str()
                        ),
                    );
                }
            }
            _ => e.push("region_code", "must be a region code of 6, 9 or 12 digits"),
        }
        if !(2000..=2100).contains(&self.year) {
            e.push("year", "must be a year from 2000 to 2100");
        }
        if !(1..=10_000).contains(&self.quota) {
            e.push("quota", "must be from 1 to 10000");
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: Uuid,
    pub award: Award,
    /// The award's level.
    pub level: RegionLevel,
    pub region_code: String,
    pub year: i32,
    pub quota: i32,
    #[serde(with = "crate::utc")]
    pub nominations_close: DateTime<Utc>,
    pub status: CampaignStatus,
    /// Open and before `nominations_close`: nominations are taken now.
    pub accepting_nominations: bool,
    /// Nominations selected so far (at most `quota`).
    pub selected: i32,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
}

/// `POST /campaigns/{id}/nominations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewNomination {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub nominee_name: String,
    /// Where the nominee (a person or a family) lives: under the campaign's region.
    pub nominee_region_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub story: String,
}

impl NewNomination {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "nominee_name", &self.nominee_name, 100);
        if RegionLevel::from_code_len(self.nominee_region_code.len()).is_none()
            || !self.nominee_region_code.bytes().all(|b| b.is_ascii_digit())
        {
            e.push(
                "nominee_region_code",
                "must be a region code of 6, 9 or 12 digits",
            );
        }
        validate::text(&mut e, "story", &self.story, 1, 10000);
        e.into_result()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nomination {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub nominee_name: String,
    pub nominee_region_code: String,
    pub story: String,
    pub status: NominationStatus,
    pub nominated_by: Uuid,
    pub version: i64,
    #[serde(with = "crate::utc")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::utc")]
    pub updated_at: DateTime<Utc>,
}

/// `GET /campaigns/{id}`: the campaign with its nominations, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: Campaign,
    pub nominations: Vec<Nomination>,
}

/// `POST /campaigns/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignActionRequest {
    pub action: CampaignAction,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

/// `POST /nominations/{id}/actions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NominationActionRequest {
    pub action: NominationAction,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: i64,
}

pub fn validate_version(version: i64) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if version < 1 {
        e.push("version", "must be the version you read (1 or more)");
    }
    e.into_result()
}

/// One line of the honour roll (`GET /honours`): a selected nomination of an announced
/// campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Honour {
    pub award: Award,
    pub level: RegionLevel,
    pub year: i32,
    pub nominee_name: String,
    pub nominee_region_code: String,
    pub story: String,
    pub campaign_id: Uuid,
    /// The campaign's region.
    pub region_code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_award_has_its_level() {
        assert_eq!(Award::MostBeautiful.level(), RegionLevel::District);
        assert_eq!(Award::VillageModel.level(), RegionLevel::Town);
        assert_eq!(Award::GoodInLaws.level(), RegionLevel::Community);
        for a in Award::ALL {
            assert_eq!(Award::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn nominations_walk_to_selected_or_declined() {
        use NominationAction as A;
        use NominationStatus as S;
        assert_eq!(nomination_transition(S::Nominated, A::Select), None);
        assert_eq!(
            nomination_transition(S::Shortlisted, A::Select),
            Some(S::Selected)
        );
        assert_eq!(nomination_transition(S::Selected, A::Decline), None);
        assert_eq!(
            nomination_transition(S::Shortlisted, A::Decline),
            Some(S::Declined)
        );
    }
}
