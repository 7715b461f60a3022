// Generated from data/rubric-2018.json by the test in builtin.rs; do not edit.

const YEAR: u16 = 2018;
const TITLE: &str = "2018年各镇（区、街道）妇女工作考核细则";
const FULL_MARKS: i64 = 10000;
const BONUS_CAP: i64 = 2000;

static CATEGORIES: [C; 10] = [
    C {
        id: "women_development",
        name: "妇女发展",
        name_en: "Women's development",
        points: 1000,
        targets: &["1．大力开展妇女创业就业技能培训，全年培训不少于2次。", "2.组织开展春风送岗、与女大学生结对创业活动，新增培养2个巾帼致富典型。", "3.对女性领办的基地及时登记造册，统计上报。", "4.加强“巾帼文明岗”培育、创建、管理，新增1家如皋市级巾帼文明岗。"],
        items: &[
            I("women_development.training", "技能培训", "Skills training sessions", "1.技能培训有通知、有内容、有名册、有图片，少一次扣1分。", "A training counts when it has a notice, content, a roster and photos; 1 point off for each session short of the 2 a year required (目标：全年培训不少于2次).", "The required number 2 comes from the target column; only documented sessions are entered.", R::Shortfall(2, 100)),
            I("women_development.pairing", "结对创业、春风送岗、培育典型", "Start-up pairing, job fairs, role models", "2.结对创业、春风送岗、培育典型有图片、有名册，少一项扣1分。", "Start-up pairing, the spring job campaign and cultivating role models each need photos and a roster; 1 point off for each of the three missing.", "Read as a checklist of the three activities named; 培育典型 is ticked when the 2 new role models of the target were cultivated.", R::Checklist(&[O("pairing", "结对创业", "Start-up pairing with women graduates", None), O("spring_jobs", "春风送岗", "Spring job campaign", None), O("role_models", "培育典型", "Role models cultivated", None)], 100)),
            I("women_development.bases", "女性领办基地统计", "Register of women-led bases", "3.基地未分类统计上报的扣2分。", "2 points off if the bases led by women were not registered by category and reported.", "", R::Flag(200)),
            I("women_development.civilised_post", "巾帼文明岗", "Women's model post", "4.未培育巾帼文明岗的扣2分。", "2 points off if no women's model post (巾帼文明岗) was cultivated.", "", R::Flag(200)),
        ],
    },
    C {
        id: "rights",
        name: "妇女维权",
        name_en: "Women's rights",
        points: 1000,
        targets: &["1.积极开展“三八”妇女维权周、普法进家庭、女律师和妇女儿童之家结对“走帮服”和“十百千万”工程活动，全年活动不少于4次。", "2.深入推进“平安家庭”创建活动。", "3.做好婚姻家庭纠纷调解工作，探索“幸福婚姻 和谐家庭”建设引导机制，加大金牌“老舅妈”调解员的培植和宣传。", "4.做好妇女儿童信访维权工作。", "5.发挥好妇女议事会作用，做好“三治融合”工作。"],
        items: &[
            I("rights.activities", "维权普法活动", "Rights and law-awareness activities", "1.开展“三八”妇女维权周、普法进家庭、女律师与妇女儿童之家结对“走帮服”、“十百千万”等活动有资料、有记录、有信息报送，少一次扣1分。", "Rights week, law-in-the-family, lawyer pairing and similar activities count when documented, recorded and reported; 1 point off for each one short of the 4 a year required (目标：全年活动不少于4次).", "The required number 4 comes from the target column.", R::Shortfall(4, 100)),
            I("rights.safe_family", "“平安家庭”创建", "Safe Family campaign", "2.“平安家庭”创建有计划、有考核、有表彰、有活动、有总结、有信息报送，少一项酌情扣1分。", "The Safe Family campaign needs a plan, assessment, commendation, activities, a summary and reporting; 1 point off for each element missing.", "少一项酌情扣1分 states the amount, so 1 point per missing element is applied without discretion.", R::Checklist(&[O("plan", "有计划", "Plan", None), O("assessment", "有考核", "Assessment", None), O("commendation", "有表彰", "Commendation", None), O("activities", "有活动", "Activities", None), O("summary", "有总结", "Summary", None), O("reporting", "有信息报送", "Information reported", None)], 100)),
            I("rights.mediator", "金牌老舅妈", "Gold-medal 'Lao Jiuma' mediators", "3.金牌老舅妈至少培育1个，没有酌情扣1分。", "At least one gold-medal 'Lao Jiuma' mediator must be cultivated; 1 point off if there is none.", "酌情扣1分 states the amount, so the 1 point is applied without discretion.", R::Shortfall(1, 100)),
            I("rights.visit_register", "来访记录簿", "Visitor register", "4.无来访记录簿，未详细记录接处经过和结果的扣1分", "1 point off if there is no visitor register recording in detail how each visit was handled and its result.", "", R::Flag(100)),
            I("rights.assigned_petitions", "交办信访案件", "Petitions assigned from above", "对上级部门交办的信访案件不认真查处,未及时上报处理情况的扣1分", "1 point off if petition cases assigned by higher authorities were not investigated properly or their handling not reported in time.", "", R::Flag(100)),
            I("rights.petition_impact", "信访处理不当", "Mishandled petitions", "因信访处理不当造成较大影响的扣2分。", "2 points off if mishandling a petition had a serious impact.", "", R::Flag(200)),
            I("rights.council_missing", "妇女议事会建立", "Women's council set up", "5.未建立妇女议事会的扣1分", "1 point off if no women's council was set up.", "", R::Flag(100)),
            I("rights.council_inactive", "妇女议事会作用发挥", "Women's council at work", "不发挥作用的酌情扣分。", "A deduction at the assessor's discretion if the council does not do its job.", "No amount in the source: 0–1, because a council that exists but does little should not lose more than having none (1 point).", R::Discretionary(0, 100)),
        ],
    },
    C {
        id: "committee",
        name: "妇儿工委",
        name_en: "Women and Children's Working Committee",
        points: 1000,
        targets: &["1.做好十三五妇女儿童规划中期评估工作。", "2.做好单亲贫困母亲统计及关爱工作。", "3.做好两癌贫困妇女救助工作。"],
        items: &[
            I("committee.midterm_review", "规划中期评估", "Mid-term review of the 13th five-year plans", "1.未做好十三五妇女儿童规划中期评估工作扣2分。", "2 points off if the mid-term review of the 13th five-year women and children plans was not done well.", "", R::Flag(200)),
            I("committee.single_mothers_data", "单亲贫困母亲数据", "Data on poor single mothers", "2.单亲贫困母亲动态数据不及时更新的扣2分", "2 points off if the data on poor single mothers were not kept up to date.", "", R::Flag(200)),
            I("committee.single_mothers_care", "关爱单亲贫困母亲活动", "Care activities for poor single mothers", "全年自行开展关爱单亲贫困母亲活动1次以上，未开展的扣1分。", "At least one care activity for poor single mothers a year on the town's own initiative; 1 point off if none was held.", "", R::Shortfall(1, 100)),
            I("committee.cancer_aid_records", "两癌救助资料", "Cancer-aid applications", "3.两癌贫困妇女资料申报不全面、不属实的扣1分", "1 point off if applications for poor women with cervical or breast cancer were incomplete or untrue.", "", R::Flag(100)),
            I("committee.cancer_aid_petitions", "两癌救助上访", "Petitions over cancer aid", "在两癌贫困妇女救助工作中因工作不力造成上访的有一例扣2分。", "2 points off for each petition caused by poor work in cancer aid for poor women.", "", R::PerOccurrence(200)),
        ],
    },
    C {
        id: "children_family",
        name: "儿童家庭工作",
        name_en: "Children and family work",
        points: 1000,
        targets: &["1.深入推进“春蕾计划”，及时更新孤儿、困难儿童数据，多措并举开展好留守儿童关爱、春蕾班活动。", "2.提高儿童工作水平，结合实际情况，重点打造“亲子书吧”、“家长学吧”、“4:30放学驿站”等工作品牌。", "3.建立镇家庭教育研究会，开展“家庭教育进社区、进学校、进企业、进农村”活动。", "4.常态化开展“最美家庭”、“教子有方”家庭寻访活动，开展“雉水百姓故事会”，全年确保开展主题“雉水百姓故事会”一场以上。", "5.开展好“七彩夏日”、“缤纷冬日”等有益于未成年人健康成长的活动，做到活动有妇联主体参与、有创新、有图片、有记录。"],
        items: &[
            I("children_family.children_data", "特殊儿童数据更新", "Data on children in difficulty", "1.未及时更新特殊儿童数据扣1分", "1 point off if the data on orphans and children in difficulty were not updated in time.", "", R::Flag(100)),
            I("children_family.statistics", "统计上报数据", "Accuracy of reported statistics", "统计上报数据不准确扣1分", "1 point off if the statistics reported were inaccurate.", "", R::Flag(100)),
            I("children_family.chunlei_class", "春蕾班管理", "Chunlei classes", "春蕾班管理不规范，全年未开展活动扣1分。", "1 point off if the Chunlei (spring bud) classes were badly managed or held no activity all year.", "One deduction of 1 point whether the classes were badly managed, inactive, or both.", R::Flag(100)),
            I("children_family.brand", "儿童工作品牌", "Children's work brand", "2.无儿童工作品牌扣2分，有品牌未开展活动扣1分。", "2 points off without a children's work brand; 1 point off with a brand but no activities under it.", "", R::Choice(&[O("active", "有品牌并开展活动", "Brand with activities", Some(0)), O("inactive", "有品牌未开展活动", "Brand without activities", Some(100)), O("none", "无儿童工作品牌", "No brand", Some(200))])),
            I("children_family.research_society", "镇家庭教育研究会", "Town family-education society", "3.未建立镇家庭教育研究会的扣1分", "1 point off if no town family-education research society was set up.", "", R::Flag(100)),
            I("children_family.education_activities", "家庭教育活动", "Family-education activities", "未开展镇、社区家庭教育活动扣1分。", "1 point off if no town or community family-education activities were held.", "", R::Flag(100)),
            I("children_family.family_search", "家庭寻访活动", "Search for model families", "4.未开展寻访活动的扣1分", "1 point off if no search for 'most beautiful' and 'good parenting' families was held.", "", R::Flag(100)),
            I("children_family.family_stories", "典型家庭事迹", "Accuracy of model-family stories", "上报典型家庭事迹不准确扣1分", "1 point off if the stories of model families reported were inaccurate.", "", R::Flag(100)),
            I("children_family.storytelling", "雉水百姓故事会", "Zhishui storytelling meeting", "全年未举行“雉水百姓故事会”扣1分。", "1 point off if no Zhishui storytelling meeting was held all year.", "", R::Flag(100)),
            I("children_family.holiday_activities", "未成年人活动质量", "Quality of children's holiday activities", "5.开展活动无妇联主体参与、无图片、无记录的根据情况酌情扣分。", "A deduction at the assessor's discretion if activities lacked the federation's own participation, photos or records.", "No amount in the source: 0–3, one point for each of the three shortcomings named, the rate of the other items of this category.", R::Discretionary(0, 300)),
        ],
    },
    C {
        id: "organisation",
        name: "组织工作",
        name_en: "Organisation work",
        points: 1000,
        targets: &["1.加大妇女干部的培养力度，举办1期基层妇联干部培训班，每季度至少开展一次村、社区妇联主席例会。", "2.建立完善镇、村女干部信息库，实行动态管理。", "3.实施妇女儿童阵地能力提升计划，培育1-2家活动丰富、管理到位的特色妇女儿童之家及“妇女微家”。", "4.加强组织覆盖，推动妇联组织区域化建设，并延伸到辖区内各单位、各组织、各领域，全年新建妇联组织应建尽建率达到70%。", "5.加强女性社团组织建设，重点培育建成女性社团组织1个并开展活动。"],
        items: &[
            I("organisation.training", "基层妇联干部培训班", "Training course for grassroots cadres", "1.未举办培训班的扣1分", "1 point off if no training course for grassroots federation cadres was held.", "", R::Flag(100)),
            I("organisation.meetings", "妇联主席例会", "Regular meetings of village chairs", "未按要求开展例会的扣2分。", "2 points off if the regular meetings of village and community federation chairs (at least one a quarter) were not held as required.", "A fixed 2 points, not 2 per missed quarter: the source names one deduction.", R::Flag(200)),
            I("organisation.cadre_database", "女干部信息库", "Database of women cadres", "2.无最新镇、村女干部信息库的扣1分。", "1 point off without an up-to-date database of town and village women cadres.", "", R::Flag(100)),
            I("organisation.featured_home", "特色妇女儿童之家", "Featured women and children's home", "3.无特色妇女儿童之家的扣1分。", "1 point off without a featured women and children's home.", "", R::Flag(100)),
            I("organisation.regional", "区域化妇联组织建设", "Area-wide federation organisation", "4.区域化妇联组织建设不到位的扣2-3分。", "2 to 3 points off if area-wide federation organisation is not in place.", "0 when it is in place; otherwise the assessor chooses 2–3 and gives a reason.", R::Discretionary(200, 300)),
            I("organisation.new_womens_org", "新建女性社会组织", "New women's social organisation", "5.未新建女性社会组织的扣1分", "1 point off if no new women's social organisation was set up.", "", R::Flag(100)),
            I("organisation.womens_org_management", "女性社会组织管理", "Management of women's organisations", "女性社会组织无规范管理、无活动的扣1分。", "1 point off if the women's social organisations lack proper management or activities.", "", R::Flag(100)),
        ],
    },
    C {
        id: "publicity",
        name: "宣传工作",
        name_en: "Publicity",
        points: 1000,
        targets: &["1.开展丰富多彩的活动庆祝和纪念“三八”节。", "2.大力培育和推荐妇女典型，积极在各类媒体上集中宣传妇女工作不少于4次。", "3.加强巾帼志愿队伍管理，增强巾帼志愿者和队伍的活跃度，开展1项重点志愿服务项目，积极培育推荐优秀巾帼志愿服务集体和个人各1个，推荐的典型须在江海志愿平台注册和参加过活动。"],
        items: &[
            I("publicity.march8_activities", "“三八”活动", "Women's Day activities", "1.未开展“三八”活动的扣1分", "1 point off if no Women's Day (8 March) activities were held.", "", R::Flag(100)),
            I("publicity.march8_meeting", "“三八”节总结表彰大会", "Women's Day commendation meeting", "未开展“三八”节总结表彰大会的扣2分。", "2 points off if no Women's Day review and commendation meeting was held.", "", R::Flag(200)),
            I("publicity.role_models", "妇女典型上报", "Women role models reported", "2.无妇女典型上报或媒体刊登的扣1分", "1 point off if no woman role model was reported or featured in the media.", "", R::Flag(100)),
            I("publicity.media_campaigns", "媒体集中宣传", "Media campaigns", "未开展集中宣传的少一次扣1分。", "1 point off for each media campaign short of the 4 a year required (目标：集中宣传妇女工作不少于4次).", "The required number 4 comes from the target column.", R::Shortfall(4, 100)),
            I("publicity.volunteer_project", "巾帼志愿重点活动", "Key volunteer project", "3.巾帼志愿无重点特色活动扣1分", "1 point off without a key women's volunteer project.", "", R::Flag(100)),
            I("publicity.volunteer_models", "志愿服务典型", "Volunteer role models", "未培育上报新的志愿服务典型并表彰宣传的扣1分。", "1 point off if no new volunteer role model was cultivated, reported, commended and publicised.", "", R::Flag(100)),
        ],
    },
    C {
        id: "activity_centre",
        name: "妇女儿童活动中心建设工作",
        name_en: "Women and children's activity centre",
        points: 1000,
        targets: &["1.创新思路，整合现有资源充分向妇女儿童开放，不断完善各项机制。", "2.配全活动设施，确保教育培训、文体娱乐和学习活动等需求的器械设施、图书设备。", "3.开展特色活动，拓展妇女儿童活动中心内涵，树立工作品牌，成为具有自身特色和一定影响力的妇女儿童工作阵地。"],
        items: &[
            I("activity_centre.built", "活动中心建成", "Centre built to standard", "1.未按标准建成妇女儿童活动中心扣2分。", "2 points off if the women and children's activity centre was not built to the standard.", "", R::Flag(200)),
            I("activity_centre.equipment", "活动器械", "Equipment", "2.活动器械不能满足活动需求的扣2分", "2 points off if the equipment does not meet the needs of the activities.", "", R::Flag(200)),
            I("activity_centre.signature_activities", "特色活动", "Signature activities", "无特色活动扣1分。", "1 point off without signature activities.", "", R::Flag(100)),
            I("activity_centre.activities", "开展活动", "Activities held", "3.未开展活动的扣1分。", "1 point off if the centre held no activities.", "", R::Flag(100)),
        ],
    },
    C {
        id: "information",
        name: "信息调研工作",
        name_en: "Information and research",
        points: 1000,
        targets: &["1.加强信息工作，围绕妇联职能工作、特色工作、创新工作、妇女群体动态，积极撰写报送信息，注重信息报送质量，被省、南通市录用的信息予以相应的奖励。", "2.加强妇女儿童工作调研，调研文章不少于1篇。"],
        items: &[
            I("information.published", "录用信息", "Reports published by the province or Nantong", "1.每月被省、南通录用不少于1条，全年不少于12条，录用信息少1条扣1分。", "At least one report a month, 12 a year, published by the province or Nantong; 1 point off for each one short of 12.", "Scored on the yearly count of 12; a month without a report is not deducted separately.", R::Shortfall(12, 100)),
            I("information.research_article", "调研文章", "Research article", "2.未有录用调研文章扣2分。", "2 points off without a published research article.", "", R::Flag(200)),
        ],
    },
    C {
        id: "innovation",
        name: "创新工作",
        name_en: "Innovation",
        points: 1000,
        targets: &["不断创新妇女儿童工作，形成具有本镇特色的品牌工作1项。"],
        items: &[
            I("innovation.work", "创新工作", "Innovative work", "未有创新工作申报的不得分，年终根据考评结果予以打分。", "No points without an application for innovative work; otherwise scored by the year-end evaluation.", "The assessor's score 0–10 is the category's score; shown as the deduction 10 − score.", R::AssessorScore(1000)),
        ],
    },
    C {
        id: "other",
        name: "其他",
        name_en: "Other",
        points: 1000,
        targets: &["1.按要求参加、配合市妇联组织的各项活动。", "2.及时上报各类材料。", "3.完成宣传工作任务。"],
        items: &[
            I("other.city_activities", "参加市妇联活动", "City federation activities attended", "1.未按要求组织人员参加市妇联活动的缺一次扣0.5分。", "0.5 points off for each city federation activity the town did not send people to as required.", "", R::PerOccurrence(50)),
            I("other.late_materials", "按时上报材料", "Materials reported late", "2.未按时上报材料的一次扣0.5分。", "0.5 points off for each set of materials not reported on time.", "", R::PerOccurrence(50)),
            I("other.publicity_tasks", "宣传工作任务", "Publicity tasks", "3.未完成的按比例扣分。", "Points off in proportion to the publicity tasks not completed.", "The source gives this item no points of its own, so the proportion is taken of the category's 10 points: 10 × unfinished ÷ assigned, rounded half-up to 0.01.", R::Proportional(1000)),
        ],
    },
];

static BONUS: [B; 4] = [
    B("city_meeting", "承办如皋市级现场会", "Rugao city-level on-site meetings hosted", "1.承办现场会如皋市级加1分。", "1 point for each Rugao city-level on-site meeting hosted.", 100),
    B("nantong_meeting", "南通市级以上现场会或经验交流", "Nantong-level or higher meetings hosted or experience presented", "2.南通市级以上承办现场会或交流工作经验加2分。", "2 points for each on-site meeting at Nantong level or above hosted, or work experience presented there.", 200),
    B("chunlei_class", "自建春蕾班", "Chunlei classes set up by the town", "3.自建“春蕾班”加1分。", "1 point for each Chunlei (spring bud) class the town set up itself.", 100),
    B("investment", "招商引资项目", "Investment projects confirmed", "4.协调招商引资项目落户并通过市相关考核部门确认的加5分。", "5 points for each investment project the federation helped bring in, once confirmed by the city's assessing department.", 500),
];
