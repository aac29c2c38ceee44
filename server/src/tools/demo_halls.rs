//! The demo district's deliberation hall and selections: items in every state (with
//! sessions that passed and one that did not), and campaigns at every level with
//! nominations in every state. Each record has a fixed id, so running the demo again
//! changes nothing.

use chrono::Duration;
use gridwork_shared::deliberation::{
    DeliberationAction as D, DeliberationActionRequest, NewDeliberation, NewSession, Votes,
};
use gridwork_shared::selection::{
    Award, CampaignAction, CampaignActionRequest, NewCampaign, NewNomination,
    NominationAction as N, NominationActionRequest,
};

use crate::app::state::AppState;
use crate::db::{self, DbConn};
use crate::flow::error::Result;
use crate::flow::{deliberations, selections};
use crate::tools::demo::{actor, demo_id};

/// A step in an item's life: a step by someone (with its decision or note), or a session
/// (who recorded it, attendees, for, against, abstain).
enum Step {
    Act(&'static str, D, Option<&'static str>),
    Session(&'static str, i64, i64, i64, i64),
}

struct Item {
    key: &'static str,
    by: &'static str,
    region: &'static str,
    title: &'static str,
    description: &'static str,
    steps: &'static [Step],
}

const ITEMS: &[Item] = &[
    Item {
        key: "hall-parking",
        by: "worker1",
        region: "500117001001",
        title: "小区夜间停车难",
        description: "文峰路 12 号院居民反映夜间无处停车，建议利用院内闲置空地",
        steps: &[],
    },
    Item {
        key: "hall-dance",
        by: "volunteer1",
        region: "500117001001",
        title: "广场舞音量扰民",
        description: "晚上九点后广场舞音响声音过大，影响低楼层住户休息",
        steps: &[Step::Act(
            "town1",
            D::Decline,
            Some("属于治安管理事项，已转派出所处理"),
        )],
    },
    Item {
        key: "hall-lift",
        by: "worker2",
        region: "500117001001",
        title: "老旧楼栋加装电梯",
        description: "7 号楼住户多为老人，提议加装电梯并按楼层分摊费用",
        steps: &[
            Step::Act("town1", D::Accept, None),
            // Exactly half of those present: not a majority.
            Step::Session("worker2", 24, 12, 8, 4),
        ],
    },
    Item {
        key: "hall-lights",
        by: "worker3",
        region: "500117001002",
        title: "背街小巷路灯维修",
        description: "白塔街背巷三盏路灯长期不亮，夜间出行不便",
        steps: &[
            Step::Act("town1", D::Accept, None),
            Step::Session("worker3", 30, 22, 5, 3),
            Step::Act(
                "town1",
                D::Decide,
                Some("由社区公共收益出资维修，两周内完成"),
            ),
        ],
    },
    Item {
        key: "hall-garden",
        by: "worker1",
        region: "500117001001",
        title: "闲置空地改建小花园",
        description: "社区东侧空地杂草丛生，居民提议改建为休闲小花园",
        steps: &[
            Step::Act("town1", D::Accept, None),
            Step::Session("worker1", 40, 18, 15, 7),
            Step::Session("worker1", 42, 31, 8, 3),
            Step::Act(
                "district",
                D::Decide,
                Some("改建为小花园，居民义务参与种植"),
            ),
            Step::Act("worker1", D::Implement, None),
        ],
    },
    Item {
        key: "hall-water",
        by: "worker15",
        region: "500117101201",
        title: "三汇村饮水管道改造",
        description: "村西组饮水管道老化漏水，村民提议集资改造",
        steps: &[
            Step::Act("town4", D::Accept, None),
            Step::Session("worker15", 56, 48, 6, 2),
            Step::Act("town4", D::Decide, Some("村集体出资六成，村民自筹四成")),
            Step::Act("worker15", D::Implement, None),
            Step::Act(
                "worker15",
                D::Complete,
                Some("新管道已铺设完成并通水，账目张榜公示"),
            ),
        ],
    },
];

fn seed_item(state: &AppState, c: &mut DbConn, item: &Item) -> Result<()> {
    let id = demo_id(item.key);
    if db::deliberations::find(c, &id.to_string())?.is_some() {
        return Ok(());
    }
    let by = actor(c, item.by)?;
    let new = NewDeliberation {
        id,
        region_code: item.region.into(),
        title: item.title.into(),
        description: item.description.into(),
        source_incident_id: None,
    };
    deliberations::raise(state, c, &by, &new)?;
    for (i, step) in item.steps.iter().enumerate() {
        match step {
            Step::Act(who, action, text) => {
                let user = actor(c, who)?;
                let version = db::deliberations::find(c, &id.to_string())?.map_or(1, |r| r.version);
                let text = text.map(str::to_string);
                let req = DeliberationActionRequest {
                    action: *action,
                    version,
                    note: if *action == D::Decide {
                        None
                    } else {
                        text.clone()
                    },
                    decision: if *action == D::Decide { text } else { None },
                };
                deliberations::act(state, c, &user, &id.to_string(), &req)?;
            }
            Step::Session(who, attendees, votes_for, against, abstain) => {
                let user = actor(c, who)?;
                let new = NewSession {
                    id: demo_id(&format!("{}-session-{i}", item.key)),
                    held_at: state.clock.now() - Duration::days(7 - i as i64),
                    place: "社区议事厅".into(),
                    attendees: *attendees,
                    votes: Votes {
                        votes_for: *votes_for,
                        against: *against,
                        abstain: *abstain,
                    },
                    minutes: "主持人介绍议题，居民代表发言，举手表决".into(),
                };
                deliberations::hold_session(state, c, &user, &id.to_string(), &new)?;
            }
        }
    }
    Ok(())
}

/// A nomination: key, who nominates, the nominee, where from, the story, and the steps
/// taken on it.
type Nominee = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [N],
);

struct Campaign {
    key: &'static str,
    by: &'static str,
    award: Award,
    region: &'static str,
    quota: i32,
    nominees: &'static [Nominee],
    /// Steps on the campaign after the nominations' (close, announce).
    end: &'static [CampaignAction],
}

const CAMPAIGNS: &[Campaign] = &[
    Campaign {
        key: "sel-most-beautiful",
        by: "district",
        award: Award::MostBeautiful,
        region: "500117",
        quota: 2,
        nominees: &[
            (
                "sel-mb-1",
                "worker1",
                "张秀英",
                "500117001001",
                "三十年义务照顾孤寡老人",
                &[N::Shortlist, N::Select],
            ),
            (
                "sel-mb-2",
                "town2",
                "陈志强",
                "500117002001",
                "跳江救起落水儿童",
                &[N::Shortlist, N::Select],
            ),
            (
                "sel-mb-3",
                "volunteer1",
                "李德明",
                "500117001001",
                "坚持巡逻十年的红袖标",
                &[N::Shortlist, N::Decline],
            ),
        ],
        end: &[CampaignAction::Close, CampaignAction::Announce],
    },
    Campaign {
        key: "sel-new-sage",
        by: "district",
        award: Award::NewSage,
        region: "500117",
        quota: 3,
        nominees: &[
            (
                "sel-ns-1",
                "worker15",
                "周家福",
                "500117101201",
                "返乡创办合作社带动村民增收",
                &[N::Shortlist],
            ),
            (
                "sel-ns-2",
                "worker5",
                "吴明远",
                "500117002001",
                "退休教师义务开办四点半课堂",
                &[],
            ),
        ],
        end: &[],
    },
    Campaign {
        key: "sel-good-person",
        by: "town1",
        award: Award::GoodPerson,
        region: "500117001",
        quota: 1,
        nominees: &[
            (
                "sel-gp-1",
                "worker3",
                "王桂兰",
                "500117001002",
                "热心调解邻里纠纷",
                &[N::Shortlist, N::Select],
            ),
            (
                "sel-gp-2",
                "worker1",
                "赵大勇",
                "500117001001",
                "拾金不昧归还失主",
                &[N::Shortlist],
            ),
            (
                "sel-gp-3",
                "worker2",
                "孙丽",
                "500117001001",
                "照顾瘫痪婆婆十五年",
                &[N::Decline],
            ),
        ],
        end: &[CampaignAction::Close],
    },
    Campaign {
        key: "sel-village-model",
        by: "town4",
        award: Award::VillageModel,
        region: "500117101",
        quota: 2,
        nominees: &[(
            "sel-vm-1",
            "volunteer2",
            "刘老汉",
            "500117101201",
            "带头修通进村便道",
            &[],
        )],
        end: &[],
    },
    Campaign {
        key: "sel-good-family",
        by: "town1",
        award: Award::GoodFamily,
        region: "500117001001",
        quota: 3,
        nominees: &[
            (
                "sel-gf-1",
                "worker1",
                "张家",
                "500117001001",
                "四世同堂和睦相处",
                &[N::Shortlist],
            ),
            (
                "sel-gf-2",
                "volunteer1",
                "何家",
                "500117001001",
                "全家参与社区志愿服务",
                &[],
            ),
        ],
        end: &[],
    },
    Campaign {
        key: "sel-family-motto",
        by: "town1",
        award: Award::GoodFamilyMotto,
        region: "500117001001",
        quota: 1,
        nominees: &[(
            "sel-fm-1",
            "worker2",
            "黄家",
            "500117001001",
            "家训：勤俭持家，与人为善",
            &[N::Shortlist, N::Select],
        )],
        end: &[CampaignAction::Close, CampaignAction::Announce],
    },
    Campaign {
        key: "sel-in-laws",
        by: "town4",
        award: Award::GoodInLaws,
        region: "500117101201",
        quota: 1,
        nominees: &[
            (
                "sel-il-1",
                "worker15",
                "郑氏婆媳",
                "500117101201",
                "婆媳互敬互爱二十年",
                &[],
            ),
            (
                "sel-il-2",
                "worker16",
                "冯氏婆媳",
                "500117101201",
                "儿媳悉心照料患病婆婆",
                &[N::Decline],
            ),
        ],
        end: &[CampaignAction::Close],
    },
];

fn seed_campaign(state: &AppState, c: &mut DbConn, k: &Campaign) -> Result<()> {
    let id = demo_id(k.key);
    if db::selections::find(c, &id.to_string())?.is_some() {
        return Ok(());
    }
    let by = actor(c, k.by)?;
    let new = NewCampaign {
        id,
        award: k.award,
        region_code: k.region.into(),
        year: 2026,
        quota: k.quota,
        nominations_close: state.clock.now() + Duration::days(60),
    };
    selections::open(state, c, &by, &new)?;
    for (key, who, name, region, story, steps) in k.nominees {
        let nid = demo_id(key);
        let user = actor(c, who)?;
        let new = NewNomination {
            id: nid,
            nominee_name: name.to_string(),
            nominee_region_code: region.to_string(),
            story: story.to_string(),
        };
        selections::nominate(state, c, &user, &id.to_string(), &new)?;
        for action in steps.iter() {
            let version =
                db::selections::find_nomination(c, &nid.to_string())?.map_or(1, |r| r.version);
            let req = NominationActionRequest {
                action: *action,
                version,
            };
            selections::act_on_nomination(state, c, &by, &nid.to_string(), &req)?;
        }
    }
    for action in k.end {
        let version = db::selections::find(c, &id.to_string())?.map_or(1, |r| r.version);
        let req = CampaignActionRequest {
            action: *action,
            version,
        };
        selections::act_on_campaign(state, c, &by, &id.to_string(), &req)?;
    }
    Ok(())
}

/// Seeds the hall's items and the selections' campaigns (each once).
pub fn seed(state: &AppState, c: &mut DbConn) -> Result<()> {
    for item in ITEMS {
        seed_item(state, c, item)?;
    }
    for k in CAMPAIGNS {
        seed_campaign(state, c, k)?;
    }
    Ok(())
}
