package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The synthetic office: a data directory holding a realistic office at
// scale (departments, operators, customers with contacts and communication
// records, archive items over several years, boxes, loans, an appraisal
// backlog and destruction registers), for benchmarks, the crash harness,
// the start-up measurement and `dangan demo`.
//
// Settings, departments, users and categories go through the API; the bulk
// (customers, contacts, records, items, boxes) is inserted directly in one
// transaction with the indexes and triggers of those tables dropped and
// recreated after, then RebuildDerived refills the search indexes. Loans
// and destruction go through the API again, so their statuses, numbers
// and audit rows are the program's own. Counters (customer category
// serials, 件号, 盒号, register numbers) continue correctly afterwards.

// SyntheticSize is the size of a synthetic office. Zero fields take the
// defaults: 100,000 customers, 1,000,000 items, 20,000 boxes, 10 years.
type SyntheticSize struct{ Customers, Items, Boxes, Years int }

// The administrator of a synthetic office. Every other user has the same
// password.
const SyntheticUser, SyntheticPassword = "admin", "Archive2026"

// SyntheticFonds is the fonds code of a synthetic office.
const SyntheticFonds = "Z109"

// synthGeneration changes whenever the generator makes different content,
// so that cached offices are rebuilt.
const synthGeneration = 1

func (z SyntheticSize) withDefaults() SyntheticSize {
	if z.Customers == 0 {
		z.Customers = 100_000
	}
	if z.Items == 0 {
		z.Items = 1_000_000
	}
	if z.Boxes == 0 {
		z.Boxes = 20_000
	}
	if z.Years == 0 {
		z.Years = 10
	}
	return z
}

// SyntheticYears returns the first and last 年度 of the items of a
// synthetic office built this year: Years years ending two years ago, so
// that with 9 years or more the oldest 10-year items are due for appraisal.
func SyntheticYears(size SyntheticSize) (first, last int) {
	size = size.withDefaults()
	last = time.Now().Year() - 2
	return last - size.Years + 1, last
}

// synthDept is one department of the synthetic office.
type synthDept struct {
	code, name, org string
	id              int64
	users           []*User
}

var (
	synthDepts = []synthDept{
		{code: "01", name: "销售一部", org: "XS"}, {code: "02", name: "销售二部", org: "XE"},
		{code: "03", name: "财务部", org: "CW"}, {code: "04", name: "办公室", org: "BG"},
		{code: "05", name: "市场部", org: "SC"}, {code: "06", name: "技术部", org: "JS"},
		{code: "07", name: "物流部", org: "WL"}, {code: "08", name: "客户服务部", org: "KF"},
	}
	synthSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	synthGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅鹏飞斌波宇浩凯健俊帆帅旭宁琳晨欣怡佳雪婷颖")
	synthPlaces   = []string{"北京", "上海", "重庆", "厦门", "长沙", "广州", "深圳", "天津", "青岛", "杭州", "成都", "武汉", "西安", "南京", "苏州", "郑州", "济南", "合肥", "沈阳", "大连"}
	synthSyllable = []rune("海华宏达兴盛鑫源恒泰博远通利天安东方金诚新联中信汇嘉德瑞祥荣昌丰润和美佳乐永康")
	synthSuffix   = []string{"科技有限公司", "贸易有限公司", "机械制造厂", "商业银行支行", "建设工程有限公司", "物流有限公司", "食品有限公司", "电子有限公司", "医药连锁", "酒店管理有限公司"}
	synthRegions  = []string{"华北", "华东", "华南", "华中", "西南", "西北", "东北", "港澳台及海外"}
	synthIndustry = []string{"制造业", "批发和零售业", "建筑业", "信息技术服务业", "金融业", "交通运输业", "房地产业", "住宿和餐饮业", "其他"}
	synthSources  = []string{"老客户介绍", "电话营销", "展会", "网络推广", "上门拜访", "招投标", "其他"}
	synthOwner    = []string{"国营", "外企", "股份", "私营", "个体", "其他"}
	synthMethods  = []string{"客户上门", "我方上门", "电话", "现场", "线上"}
	synthSatisfy  = []string{"非常满意", "满意", "满意", "一般", "不满意"}
	synthTitles   = []string{"经理", "总经理", "财务主管", "采购主管", "办公室主任", "业务员", "法定代表人"}
	synthSubjects = []string{"年度合作洽谈", "报价确认", "合同续签沟通", "对账与回款", "售后问题回访", "新产品介绍", "投诉处理", "资信复核"}
	// Customer categories: 5 top-level, leaves below them hold customers.
	synthCustCats = []string{"重点客户", "普通客户", "潜在客户", "代理商", "合作伙伴"}
	// Item titles by 类别 full code; %s is the customer's name, %d the year.
	synthItemTitles = map[string][]string{
		"KH-01": {"%s营业执照及资质证明", "%s客户登记表", "%s开户资料"},
		"KH-02": {"与%s签订的购销合同", "与%s签订的框架协议", "%s补充协议"},
		"KH-03": {"%s往来对账单", "%s应收账款确认函", "%s付款通知"},
		"KH-04": {"%s拜访记录", "%s会议纪要", "%s沟通记录汇编"},
		"KH-05": {"%s投诉处理单", "%s意见反馈表"},
		"KH-06": {"%s资信调查报告", "%s信用评级表"},
		"KJ-01": {"%d年记账凭证", "%d年银行收付款凭证"},
		"KJ-02": {"%d年总账", "%d年明细账"},
		"KJ-03": {"%d年度财务会计报告", "%d年月度财务报表"},
		"KJ-04": {"%d年银行对账单", "%d年纳税申报表"},
		"GL-01": {"关于%d年度工作安排的通知", "%d年办公会议纪要", "%d年规章制度汇编"},
	}
)

// synthName returns the i-th company name; names are unique for every i.
func synthName(i int) string {
	n := len(synthSyllable)
	a, b := synthSyllable[i%n], synthSyllable[(i/n)%n]
	rest := i / (n * n)
	place := synthPlaces[rest%len(synthPlaces)]
	suffix := synthSuffix[(rest/len(synthPlaces))%len(synthSuffix)]
	tag := ""
	if extra := rest / (len(synthPlaces) * len(synthSuffix)); extra > 0 {
		tag = fmt.Sprint(extra) // keeps names unique past the combinations
	}
	return place + string(a) + string(b) + tag + suffix
}

// synthPerson returns a person's name.
func synthPerson(r *rand.Rand) string {
	s := string(synthSurnames[r.Intn(len(synthSurnames))]) + string(synthGiven[r.Intn(len(synthGiven))])
	if r.Intn(3) > 0 {
		s += string(synthGiven[r.Intn(len(synthGiven))])
	}
	return s
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.Intn(len(xs))] }

func synthDate(r *rand.Rand, year int) string {
	return fmt.Sprintf("%04d-%02d-%02d", year, 1+r.Intn(12), 1+r.Intn(28))
}

// BuildSyntheticOffice creates a data directory at dir holding a realistic
// office of the given size (about 100 s for the default size on an idle
// 2-core machine, 3 minutes on a busy one). dir must not hold a database
// yet.
func BuildSyntheticOffice(ctx context.Context, dir string, size SyntheticSize) error {
	return buildSynthetic(ctx, dir, size, nil)
}

// BuildSyntheticOfficeLog is BuildSyntheticOffice writing its progress to w.
func BuildSyntheticOfficeLog(ctx context.Context, dir string, size SyntheticSize, w io.Writer) error {
	return buildSynthetic(ctx, dir, size, w)
}

type synthBuilder struct {
	s       *Store
	size    SyntheticSize
	r       *rand.Rand
	admin   *User
	keeper  *User // the archivist: an admin of every department
	depts   []synthDept
	first   int // first 年度
	log     io.Writer
	started time.Time
	// per customer (index id-1): department index and name
	custDept []uint8
	custOK   []bool // normal status: its items may be lent
	custName []string
	byDept   [][]int64 // customer ids per department
}

func (b *synthBuilder) logf(format string, args ...any) {
	if b.log != nil {
		fmt.Fprintf(b.log, "%6.1fs  "+format+"\n", append([]any{time.Since(b.started).Seconds()}, args...)...)
	}
}

func buildSynthetic(ctx context.Context, dir string, size SyntheticSize, log io.Writer) (err error) {
	size = size.withDefaults()
	if size.Customers < 1 || size.Items < 1 || size.Boxes < 1 || size.Years < 1 {
		return Errorf(EINVALID, "演示数据的规模不正确：客户、档案、盒、年度都至少为 1")
	}
	if Exists(dir) {
		return Errorf(ECONFLICT, "数据目录 %s 中已有数据库，演示数据只能建在新的数据目录中", dir)
	}
	s, err := Open(dir)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := s.Close(); err == nil {
			err = cerr
		}
	}()
	b := &synthBuilder{s: s, size: size, r: rand.New(rand.NewSource(20260501)), log: log, started: time.Now()}
	b.first, _ = SyntheticYears(size)
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"office, departments, users, categories", b.setup},
		{"bulk load", b.bulk},
		{"search indexes", s.RebuildDerived},
		{"loans", b.loans},
		{"appraisal and destruction", b.destruction},
		{"analyze", func(ctx context.Context) error {
			_, err := s.db.ExecContext(ctx, `ANALYZE`)
			if err == nil {
				_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
			}
			return err
		}},
	}
	for _, st := range steps {
		t0 := time.Now()
		if err := st.fn(ctx); err != nil {
			return fmt.Errorf("synthetic office: %s: %w", st.name, err)
		}
		b.logf("%s (%.1fs)", st.name, time.Since(t0).Seconds())
	}
	b.logf("built %d customers, %d items, %d years in %s", size.Customers, size.Items, size.Years, dir)
	return nil
}

func (b *synthBuilder) setup(ctx context.Context) error {
	s := b.s
	admin, err := s.Initialize(ctx, SetupInput{FondsCode: SyntheticFonds, FondsName: "华东机械有限公司",
		Username: SyntheticUser, Password: SyntheticPassword})
	if err != nil {
		return err
	}
	b.admin = admin
	b.depts = append([]synthDept(nil), synthDepts...)
	for i := range b.depts {
		d := &b.depts[i]
		dep, err := s.CreateDepartment(ctx, admin, d.code, d.name)
		if err != nil {
			return err
		}
		d.id = dep.ID
		if err := s.SetOrgCode(ctx, admin, d.id, d.org); err != nil {
			return err
		}
	}
	// 20 users: the admin, an archivist (admin) and 18 operators, two or
	// three per department, limited to their department.
	names := map[string]bool{}
	person := func() string {
		for {
			if n := synthPerson(b.r); !names[n] {
				names[n] = true
				return n
			}
		}
	}
	if b.keeper, err = s.CreateUser(ctx, admin, UserInput{Username: "dagl", DisplayName: person(), DeptID: b.depts[3].id,
		Role: RoleAdmin, ScopeAll: true, Password: SyntheticPassword}); err != nil {
		return err
	}
	for i := 0; i < 18; i++ {
		d := &b.depts[i%len(b.depts)]
		u, err := s.CreateUser(ctx, admin, UserInput{Username: fmt.Sprintf("op%02d", i+1), DisplayName: person(),
			DeptID: d.id, Role: RoleOperator, Password: SyntheticPassword})
		if err != nil {
			return err
		}
		d.users = append(d.users, u)
	}
	// Customer categories: five top-level ones, each with enough leaves
	// that no leaf needs more than 8,000 of the 9,999 serials.
	per := (b.size.Customers + 8000*len(synthCustCats) - 1) / (8000 * len(synthCustCats))
	if per < 2 {
		per = 2
	}
	if per > 99 {
		return Errorf(EINVALID, "演示数据的客户太多：最多 %d 个", 99*8000*len(synthCustCats))
	}
	for i, name := range synthCustCats {
		top := fmt.Sprintf("%02d", i+1)
		if _, err := s.CreateCustomerCategory(ctx, admin, top, name); err != nil {
			return err
		}
		for j := 1; j <= per; j++ {
			if _, err := s.CreateCustomerCategory(ctx, admin, fmt.Sprintf("%s%02d", top, j),
				fmt.Sprintf("%s%d组", name, j)); err != nil {
				return err
			}
		}
	}
	return nil
}

// bulkTables are the tables loaded directly; their indexes and triggers
// are dropped for the load and recreated after it (building a sorted index
// once is far faster than updating it per row).
var bulkTables = []string{"customers", "customer_contacts", "customer_comms", "customer_status_log",
	"archive_boxes", "archive_items"}

func (b *synthBuilder) bulk(ctx context.Context) error {
	conn, err := b.s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A failed build is thrown away, so the load needs no crash safety.
	for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -262144`} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer conn.ExecContext(context.Background(), `PRAGMA synchronous = NORMAL`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var drops, creates []string
	q := `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
		AND tbl_name IN ('` + strings.Join(bulkTables, "', '") + `') ORDER BY type, name`
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			rows.Close()
			return err
		}
		drops = append(drops, `DROP `+strings.ToUpper(typ)+` "`+name+`"`)
		creates = append(creates, sql)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range drops {
		if _, err := tx.ExecContext(ctx, d); err != nil {
			return err
		}
	}
	t0 := time.Now()
	if err := b.customers(ctx, tx); err != nil {
		return err
	}
	b.logf("  %d customers with contacts and records (%.1fs)", b.size.Customers, time.Since(t0).Seconds())
	t0 = time.Now()
	nboxes, err := b.items(ctx, tx)
	if err != nil {
		return err
	}
	b.logf("  %d items in %d boxes (%.1fs)", b.size.Items, nboxes, time.Since(t0).Seconds())
	t0 = time.Now()
	for _, c := range creates {
		if _, err := tx.ExecContext(ctx, c); err != nil {
			return err
		}
	}
	b.logf("  indexes (%.1fs)", time.Since(t0).Seconds())
	if err := b.s.writeAudit(ctx, tx, b.admin, "", auditRecord{Entity: EntityImport, EntityID: "演示数据",
		Action: ActionImport, Summary: fmt.Sprintf("生成演示数据：%d 个客户、%d 件档案、%d 个档案盒",
			b.size.Customers, b.size.Items, nboxes)}); err != nil {
		return err
	}
	return tx.Commit()
}

func (b *synthBuilder) customers(ctx context.Context, tx *sql.Tx) error {
	r, n := b.r, b.size.Customers
	var leaves []struct {
		id     int64
		code   string
		serial int
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, code FROM customer_categories WHERE length(code) = 4 ORDER BY code`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l struct {
			id     int64
			code   string
			serial int
		}
		if err := rows.Scan(&l.id, &l.code); err != nil {
			rows.Close()
			return err
		}
		leaves = append(leaves, l)
	}
	rows.Close()
	insC, err := tx.PrepareContext(ctx, `INSERT INTO customers (id, code, name, name_key, kind, category_id, dept_id,
		salesman_id, status, freeze_reason, source, grade, region, industry, mnemonic, created_by, created_on, ownership,
		address, postcode, phone, email, legal_rep, gender, birth_date, mobile, credit_grade, last_comm_on, next_follow_up,
		created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insC.Close()
	insP, err := tx.PrepareContext(ctx, `INSERT INTO customer_contacts (customer_id, seq, name, title, mobile, phone,
		birthday, is_primary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insP.Close()
	insM, err := tx.PrepareContext(ctx, `INSERT INTO customer_comms (customer_id, on_date, method, our_people,
		their_people, subject, detail, satisfaction, next_follow_up, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insM.Close()
	insS, err := tx.PrepareContext(ctx, `INSERT INTO customer_status_log (customer_id, old_status, new_status, reason,
		at, user_name) VALUES (?, 'normal', ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer insS.Close()
	b.custDept, b.custOK, b.custName = make([]uint8, n), make([]bool, n), make([]string, n)
	b.byDept = make([][]int64, len(b.depts))
	today := time.Now()
	thisYear := today.Year()
	for i := 0; i < n; i++ {
		id := int64(i + 1)
		k := r.Intn(len(leaves))
		for leaves[k].serial >= 9999 {
			k = (k + 1) % len(leaves)
		}
		leaves[k].serial++
		code := fmt.Sprintf("%s%04d", leaves[k].code, leaves[k].serial)
		// Sales departments hold most customers.
		di := r.Intn(len(b.depts))
		if r.Intn(2) == 0 {
			di = r.Intn(2)
		}
		d := &b.depts[di]
		salesman := pick(r, d.users)
		kind, name, gender, birth, mobile, legal := "enterprise", synthName(i), "", "", "", synthPerson(r)
		if i%20 == 19 {
			// An individual customer: a person's name, kept unique by the
			// customer's number in brackets as offices do for namesakes.
			kind, legal = "individual", ""
			name = fmt.Sprintf("%s（%d）", synthPerson(r), i+1)
			gender, birth = pick(r, []string{"男", "女"}), synthDate(r, 1950+r.Intn(50))
			mobile = fmt.Sprintf("1%d%09d", 3+r.Intn(6), r.Intn(1e9))
		}
		status, reason := "normal", ""
		switch x := r.Intn(100); {
		case x < 3:
			status, reason = "frozen", pick(r, []string{"欠款未结清", "资信复核中", "合同纠纷"})
		case x < 4:
			status, reason = "closed", pick(r, []string{"客户注销", "长期无业务往来"})
		}
		createdYear := b.first - 2 + r.Intn(thisYear-b.first+2)
		createdOn := synthDate(r, createdYear)
		created := createdOn + "T09:00:00Z"
		place := synthPlaces[(i/(len(synthSyllable)*len(synthSyllable)))%len(synthPlaces)]
		// Communication records, oldest first; the card keeps the newest
		// one's dates (as refreshCommDates does).
		ncomm := r.Intn(4)
		dates := make([]string, ncomm)
		for j := range dates {
			y := createdYear + r.Intn(thisYear-createdYear+1)
			dates[j] = synthDate(r, y)
			if dates[j] > today.Format(dateLayout) {
				dates[j] = today.AddDate(0, 0, -r.Intn(300)-1).Format(dateLayout)
			}
		}
		sort.Strings(dates)
		lastComm, nextFollow := "", ""
		follows := make([]string, ncomm)
		for j, dt := range dates {
			if r.Intn(3) == 0 {
				t, _ := time.Parse(dateLayout, dt)
				follows[j] = t.AddDate(0, 0, 7+r.Intn(60)).Format(dateLayout)
			}
			lastComm, nextFollow = dt, follows[j]
		}
		if _, err := insC.ExecContext(ctx, id, code, name, NameKey(name), kind, leaves[k].id, d.id, salesman.ID,
			status, reason, pick(r, synthSources), pick(r, []string{"A", "B", "B", "C", "C"}), pick(r, synthRegions),
			pick(r, synthIndustry), Mnemonic(name), salesman.Username, createdOn, pick(r, synthOwner),
			fmt.Sprintf("%s市%s路%d号", place, pick(r, []string{"人民", "解放", "建设", "中山", "长江", "和平"}), 1+r.Intn(300)),
			fmt.Sprintf("%06d", 100000+r.Intn(800000)), fmt.Sprintf("0%d-%08d", 10+r.Intn(90), r.Intn(1e8)),
			fmt.Sprintf("contact%d@example.com", i+1), legal, gender, birth, mobile,
			pick(r, []string{"AAA", "AA", "A", "B", "C"}), lastComm, nextFollow, created, created); err != nil {
			return fmt.Errorf("customer %d %s: %w", i+1, name, err)
		}
		var contacts []string
		for j, nc := 0, 2+r.Intn(2); j < nc; j++ {
			cn := synthPerson(r)
			contacts = append(contacts, cn)
			if _, err := insP.ExecContext(ctx, id, j, cn, pick(r, synthTitles), fmt.Sprintf("1%d%09d", 3+r.Intn(6), r.Intn(1e9)),
				fmt.Sprintf("0%d-%08d", 10+r.Intn(90), r.Intn(1e8)), synthDate(r, 1960+r.Intn(40)), j == 0); err != nil {
				return err
			}
		}
		for j, dt := range dates {
			subj := pick(r, synthSubjects)
			if _, err := insM.ExecContext(ctx, id, dt, pick(r, synthMethods), salesman.DisplayName, pick(r, contacts),
				subj, "就"+subj+"与客户沟通，双方意见一致，已记录后续安排。", pick(r, synthSatisfy), follows[j],
				salesman.Username, dt+"T10:00:00Z"); err != nil {
				return err
			}
		}
		if status != "normal" {
			if _, err := insS.ExecContext(ctx, id, status, reason, created, SyntheticUser); err != nil {
				return err
			}
		}
		b.custDept[i], b.custOK[i], b.custName[i] = uint8(di), status == "normal", name
		b.byDept[di] = append(b.byDept[di], id)
	}
	for _, l := range leaves {
		if _, err := tx.ExecContext(ctx, `UPDATE customer_categories SET last_serial = ? WHERE id = ?`, l.serial, l.id); err != nil {
			return err
		}
	}
	return nil
}

// items loads the archive items and their boxes and returns how many boxes.
func (b *synthBuilder) items(ctx context.Context, tx *sql.Tx) (int, error) {
	r, n := b.r, b.size.Items
	cats, err := b.s.FindCategories(ctx)
	if err != nil {
		return 0, err
	}
	// 类别 and their weights: customer files most, accounting, management.
	type synthCat struct {
		Category
		weight int
	}
	var use []synthCat
	total := 0
	for _, c := range cats {
		if c.IsClass() {
			continue
		}
		w := map[string]int{"KH": 14, "KJ": 4, "GL": 6}[c.ClassCode]
		if w > 0 {
			use = append(use, synthCat{c, w})
			total += w
		}
	}
	wheel := make([]int, 0, total)
	for i, c := range use {
		for j := 0; j < c.weight; j++ {
			wheel = append(wheel, i)
		}
	}
	a, err := archiveSettings(ctx, tx)
	if err != nil {
		return 0, err
	}
	cp, width := a.Pattern(), a.SerialWidth
	limit := 1
	for i := 0; i < width; i++ {
		limit *= 10
	}
	// First pass: each item's 类别, department and year, and the size of
	// every group, so that boxes can be laid out before the items go in.
	type itemPlan struct{ cat, dept, year uint8 }
	plan := make([]itemPlan, n)
	groupN := map[CodeGroup]int{}
	keyOf := func(p itemPlan) CodeGroup {
		c := use[p.cat]
		return CodeGroup{Fonds: SyntheticFonds, Class: c.ClassCode, Year: b.first + int(p.year),
			Retention: c.Retention, Org: b.depts[p.dept].org}
	}
	// A group is filled to 90% of its 件号 at most, so that new items can
	// still be registered; then the item goes to the next department.
	full := limit * 9 / 10
	for i := range plan {
		c := wheel[r.Intn(len(wheel))]
		d := r.Intn(len(b.depts))
		if use[c].ClassCode == "KJ" {
			d = 2 // 财务部
		}
		p := itemPlan{uint8(c), uint8(d), uint8(r.Intn(b.size.Years))}
		g := keyOf(p)
		for tries := 1; groupN[g] >= full; tries++ {
			if tries > len(b.depts) {
				return 0, Errorf(EINVALID, "演示数据的档案太多：%s 组的 %d 位件号快用完了，请增加年度数", g, width)
			}
			p.dept = uint8((int(p.dept) + 1) % len(b.depts))
			g = keyOf(p)
		}
		plan[i] = p
		groupN[g]++
	}
	// Boxes: about 90% of each group (half of the newest year's), in
	// serial order, the requested number of boxes shared out by size.
	boxedOf := func(g CodeGroup) int {
		if g.Year == b.first+b.size.Years-1 {
			return groupN[g] / 2 // the newest year is still being filed
		}
		return groupN[g] * 9 / 10
	}
	totalBoxed := 0
	for g := range groupN {
		totalBoxed += boxedOf(g)
	}
	insB, err := tx.PrepareContext(ctx, `INSERT INTO archive_boxes (fonds, class_code, year, retention, org_code, box_no,
		dept_id, thickness, room, cabinet, shelf, filer, checker, filed_on, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer insB.Close()
	type groupBoxes struct {
		boxedUpTo, perBox int
		ids               []int64
	}
	boxes := map[CodeGroup]*groupBoxes{}
	nboxes := 0
	// Groups in a fixed order, so the build is reproducible.
	var groups []CodeGroup
	for g := range groupN {
		groups = append(groups, g)
	}
	sortGroups(groups)
	deptOfOrg := map[string]*synthDept{}
	for i := range b.depts {
		deptOfOrg[b.depts[i].org] = &b.depts[i]
	}
	for _, g := range groups {
		bi := boxedOf(g)
		nb := int((int64(b.size.Boxes)*int64(bi) + int64(totalBoxed)/2) / int64(max(totalBoxed, 1)))
		if nb == 0 && bi > 0 {
			nb = 1
		}
		if nb > bi {
			nb = bi
		}
		gb := &groupBoxes{boxedUpTo: bi}
		if nb > 0 {
			gb.perBox = (bi + nb - 1) / nb
			nb = (bi + gb.perBox - 1) / gb.perBox
		}
		d := deptOfOrg[g.Org]
		for k := 1; k <= nb; k++ {
			filed := fmt.Sprintf("%04d%02d%02d", g.Year+1, 1+r.Intn(6), 1+r.Intn(28))
			created := fmt.Sprintf("%04d-%s-%sT09:00:00Z", g.Year+1, filed[4:6], filed[6:8])
			res, err := insB.ExecContext(ctx, g.Fonds, g.Class, g.Year, g.Retention, g.Org, k, d.id,
				pick(r, []int{20, 30, 30, 40, 50}), fmt.Sprint(1+nboxes/8000), fmt.Sprintf("%02d", 1+(nboxes/40)%200),
				fmt.Sprint(1+(nboxes/8)%5), pick(r, d.users).DisplayName, pick(r, b.depts[3].users).DisplayName,
				filed, "", created, created)
			if err != nil {
				return 0, err
			}
			id, _ := res.LastInsertId()
			gb.ids = append(gb.ids, id)
			nboxes++
		}
		boxes[g] = gb
	}
	insI, err := tx.PrepareContext(ctx, `INSERT INTO archive_items (category_id, class_id, fonds, class_code, year,
		retention, org_code, serial, code, sort_key, code_fixed, dept_id, title, author, doc_no, doc_date, pages, secrecy,
		customer_id, carrier, box_id, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer insI.Close()
	serials := map[CodeGroup]int{}
	docNos := map[int]int{}
	for _, p := range plan {
		c, d := use[p.cat], &b.depts[p.dept]
		g := keyOf(p)
		serials[g]++
		sn := serials[g]
		var customer any
		var title string
		tpl := pick(r, synthItemTitles[c.FullCode()])
		if c.ClassCode == "KH" && len(b.byDept[p.dept]) > 0 {
			cid := pick(r, b.byDept[p.dept])
			customer = cid
			title = fmt.Sprintf(tpl, b.custName[cid-1])
		} else if c.ClassCode == "KH" {
			title = fmt.Sprintf(tpl, synthName(r.Intn(1000)))
		} else {
			title = fmt.Sprintf(tpl, g.Year)
		}
		var box any
		fixed := 0
		if gb := boxes[g]; sn <= gb.boxedUpTo {
			box, fixed = gb.ids[(sn-1)/gb.perBox], 1
		}
		docNos[g.Year]++
		secrecy := "公开"
		switch x := r.Intn(100); {
		case x < 2:
			secrecy = "秘密"
		case x < 12:
			secrecy = "内部"
		}
		carrier := "纸质"
		if r.Intn(10) == 0 {
			carrier = "电子"
		}
		date := fmt.Sprintf("%04d%02d%02d", g.Year, 1+r.Intn(12), 1+r.Intn(28))
		created := fmt.Sprintf("%04d-%s-%sT09:00:00Z", g.Year, date[4:6], date[6:8])
		if _, err := insI.ExecContext(ctx, c.ID, c.ParentID, g.Fonds, g.Class, g.Year, g.Retention, g.Org, sn,
			cp.Format(g, sn, width), cp.SortKey(g, sn), fixed, d.id, title, d.name,
			fmt.Sprintf("华机〔%d〕%d号", g.Year, docNos[g.Year]), date, 1+r.Intn(60), secrecy, customer, carrier,
			box, pick(r, d.users).ID, created, created); err != nil {
			return 0, fmt.Errorf("item %s: %w", cp.Format(g, sn, width), err)
		}
	}
	return nboxes, nil
}

func sortGroups(gs []CodeGroup) {
	sort.Slice(gs, func(i, j int) bool {
		a, b := gs[i], gs[j]
		if a.Class != b.Class {
			return a.Class < b.Class
		}
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Retention != b.Retention {
			return a.Retention < b.Retention
		}
		return a.Org < b.Org
	})
}

// loans lends items through the API at past dates: most returned, some
// still out, some of those overdue.
func (b *synthBuilder) loans(ctx context.Context) error {
	s, r := b.s, b.r
	defer s.SetClock(time.Now)
	nloans := b.size.Items / 2000
	if nloans < 16 {
		nloans = 16
	}
	if nloans > 600 {
		nloans = 600
	}
	var maxID int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM archive_items`).Scan(&maxID); err != nil {
		return err
	}
	today := time.Now()
	for i := 0; i < nloans; i++ {
		// 30-day loans. Three in four have come back; of those still out,
		// half are overdue.
		open := i%4 == 0
		lent := today.AddDate(0, 0, -1-r.Intn(120))
		switch i % 8 {
		case 0:
			lent = today.AddDate(0, 0, -31-r.Intn(90))
		case 4:
			lent = today.AddDate(0, 0, -1-r.Intn(25))
		}
		s.SetClock(func() time.Time { return lent })
		var ids []int64
		for tries := 0; len(ids) < 1+r.Intn(4) && tries < 20; tries++ {
			id := 1 + r.Int63n(maxID)
			var status string
			var cust sql.NullInt64
			if err := s.db.QueryRowContext(ctx, `SELECT status, customer_id FROM archive_items WHERE id = ?`, id).
				Scan(&status, &cust); err != nil {
				return err
			}
			if status != StatusIn || (cust.Valid && !b.custOK[cust.Int64-1]) {
				continue
			}
			dup := false
			for _, x := range ids {
				dup = dup || x == id
			}
			if !dup {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		d := &b.depts[r.Intn(len(b.depts))]
		clerk := b.keeper
		in := LoanInput{Purpose: pick(r, []string{"查阅合同条款", "审计检查", "对账核实", "诉讼取证", "工作参考"}),
			ItemIDs: ids, LentOn: lent.Format(dateLayout), DueOn: lent.AddDate(0, 0, 30).Format(dateLayout)}
		if r.Intn(3) == 0 {
			in.Borrower, in.Unit, in.Phone = synthPerson(r), "外部审计机构", fmt.Sprintf("139%08d", r.Intn(1e8))
		} else {
			in.BorrowerUserID = pick(r, d.users).ID
		}
		l, err := s.Lend(ctx, clerk, in)
		if err != nil {
			return err
		}
		if !open {
			back := lent.AddDate(0, 0, 1+r.Intn(40))
			if back.After(today) {
				back = today
			}
			s.SetClock(func() time.Time { return back })
			if err := s.ReturnLoan(ctx, clerk, l.ID, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// destruction records the appraisal of part of the oldest 10-year items:
// an approved register (items destroyed), a rejected one and a draft
// awaiting approval. The rest of the backlog stays due for appraisal.
func (b *synthBuilder) destruction(ctx context.Context) error {
	s := b.s
	var kh04 int64
	if err := s.db.QueryRowContext(ctx, `SELECT c.id FROM archive_categories c JOIN archive_categories p ON p.id = c.parent_id
		WHERE p.code = 'KH' AND c.code = '04'`).Scan(&kh04); err != nil {
		return err
	}
	due, err := s.FindDue(ctx, b.admin, DueFilter{CategoryID: kh04, Year: b.first, Limit: 300})
	if err != nil {
		return err
	}
	var ids []int64
	for _, d := range due {
		ids = append(ids, d.ID)
	}
	per := len(ids) / 4
	if per == 0 {
		return nil
	}
	proposer := b.keeper
	for k, decide := range []string{"approve", "reject", "draft"} {
		reg, err := s.ProposeDestruction(ctx, proposer, DestructionInput{ItemIDs: ids[k*per : (k+1)*per],
			Reason: "保管期限已满，经鉴定小组鉴定无继续保存价值", Method: DestructionMethods[k%2]})
		if err != nil {
			return err
		}
		switch decide {
		case "approve":
			err = s.ApproveDestruction(ctx, b.admin, reg.ID)
		case "reject":
			err = s.RejectDestruction(ctx, b.admin, reg.ID, "部分档案仍有查考价值，请重新鉴定")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// syntheticKey names a cached office: its size, the build year, the
// generator, the schema (a hash of the embedded migrations) and the
// derived indexes that fill it (a build without one has it empty).
func syntheticKey(size SyntheticSize) (string, error) {
	size = size.withDefaults()
	h := sha256.New()
	err := fs.WalkDir(migrationFS, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := migrationFS.ReadFile(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(body))
		h.Write(body)
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, d := range derivedIndexes {
		fmt.Fprintf(h, "derived\x00%s\x00", d.name)
	}
	first, _ := SyntheticYears(size)
	return fmt.Sprintf("c%d-i%d-b%d-y%d-%d-g%d-%s", size.Customers, size.Items, size.Boxes, size.Years, first,
		synthGeneration, hex.EncodeToString(h.Sum(nil))[:12]), nil
}

const synthDoneFile = "synthetic.done"

// SyntheticOffice returns the data directory of a cached synthetic office
// of that size, building it on first use under os.TempDir() (about 3
// minutes for the default size). Several processes may ask at once: one
// builds while the others wait, and a directory appears under its final
// name only when complete. Callers must not modify it: copy it first with
// CopySyntheticOffice.
func SyntheticOffice(ctx context.Context, size SyntheticSize) (string, error) {
	key, err := syntheticKey(size)
	if err != nil {
		return "", err
	}
	final := filepath.Join(os.TempDir(), "dangan-synth-"+key)
	done := func() bool {
		_, err := os.Stat(filepath.Join(final, synthDoneFile))
		return err == nil
	}
	if done() {
		return final, nil
	}
	// One builder at a time: the others wait for the lock, then find the
	// directory built.
	lf, err := os.OpenFile(final+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return "", err
	}
	defer lf.Close()
	for lockFile(lf) != nil {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	defer unlockFile(lf)
	if done() {
		return final, nil
	}
	removeStaleSynthetic(key)
	tmp, err := os.MkdirTemp(os.TempDir(), "dangan-synth-build-"+key+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	var log io.Writer
	if os.Getenv("DANGAN_SYNTH_QUIET") == "" {
		log = os.Stderr
		fmt.Fprintf(os.Stderr, "building synthetic office %s\n", final)
	}
	if err := buildSynthetic(ctx, filepath.Join(tmp, "d"), size, log); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "d", synthDoneFile), []byte(key+"\n"), 0o600); err != nil {
		return "", err
	}
	os.RemoveAll(final) // a half-built leftover without the done file
	if err := os.Rename(filepath.Join(tmp, "d"), final); err != nil {
		if done() { // someone else's copy got there first
			return final, nil
		}
		return "", err
	}
	return final, nil
}

// removeStaleSynthetic removes, while the lock of key is held, what a
// killed build of key left, and cached offices of other keys (older
// schemas, other sizes) built more than a week ago: each may be a gigabyte
// or more.
func removeStaleSynthetic(key string) {
	tmp := os.TempDir()
	ents, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		switch {
		case !e.IsDir() || !strings.HasPrefix(name, "dangan-synth-"):
		case strings.HasPrefix(name, "dangan-synth-build-"+key+"-"):
			os.RemoveAll(filepath.Join(tmp, name))
		case !strings.HasPrefix(name, "dangan-synth-build-") && name != "dangan-synth-"+key:
			if info, err := os.Stat(filepath.Join(tmp, name, DBFileName)); err == nil && time.Since(info.ModTime()) > 7*24*time.Hour {
				os.RemoveAll(filepath.Join(tmp, name))
				os.Remove(filepath.Join(tmp, name) + ".lock")
			}
		}
	}
}

// CopySyntheticOffice copies the cached synthetic office of that size (see
// SyntheticOffice) into the data directory dst, which must not hold a
// database yet, and returns dst. The copy may be changed freely.
func CopySyntheticOffice(ctx context.Context, size SyntheticSize, dst string) (string, error) {
	src, err := SyntheticOffice(ctx, size)
	if err != nil {
		return "", err
	}
	if Exists(dst) {
		return "", Errorf(ECONFLICT, "数据目录 %s 中已有数据库", dst)
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if rel == synthDoneFile || d.Name() == LockFileName {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		return copyFile(path, target)
	})
	if err != nil {
		return "", err
	}
	return dst, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
