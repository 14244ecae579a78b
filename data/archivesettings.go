package data

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Setting keys of the archive register.
const (
	keyCodePattern   = "archive_code_pattern"
	keySerialWidth   = "archive_serial_width"
	keyCatalogueRows = "catalogue_rows"
	keyCatalogueWide = "catalogue_orientation"
	keyLabelPaper    = "label_paper"
)

// Catalogue orientations and label papers (DESIGN 2.9).
const (
	Landscape = "landscape"
	Portrait  = "portrait"
	PaperA3   = "A3"
	PaperA4   = "A4"
)

// ArchiveSettings are the office-wide archive settings besides the fonds:
// the 档号 pattern, the 件号 width, and catalogue and label defaults.
type ArchiveSettings struct {
	CodePattern   string
	SerialWidth   int
	CatalogueRows int    // rows per catalogue page: 14 standard, 11 wide
	Orientation   string // Landscape or Portrait
	LabelPaper    string // PaperA3 (full height spines) or PaperA4 (shortened)
}

// DefaultArchiveSettings returns the DA/T 22-2015 defaults.
func DefaultArchiveSettings() ArchiveSettings {
	return ArchiveSettings{CodePattern: DefaultCodePattern, SerialWidth: DefaultSerialWidth,
		CatalogueRows: 14, Orientation: Landscape, LabelPaper: PaperA3}
}

// Pattern returns the parsed 档号 pattern, falling back to the default.
func (a ArchiveSettings) Pattern() CodePattern {
	cp, err := ParseCodePattern(a.CodePattern)
	if err != nil {
		cp, _ = ParseCodePattern(DefaultCodePattern)
	}
	return cp
}

// Validate checks the archive settings.
func (a ArchiveSettings) Validate() error {
	if _, err := ParseCodePattern(a.CodePattern); err != nil {
		return err
	}
	switch {
	case a.SerialWidth < 3 || a.SerialWidth > 6:
		return fieldErr("serial_width", "件号位数应为 3 到 6 位（默认 4 位）")
	case a.CatalogueRows < 5 || a.CatalogueRows > 30:
		return fieldErr("catalogue_rows", "目录每页行数应在 5 到 30 之间（标准 14 行，宽版 11 行）")
	case a.Orientation != Landscape && a.Orientation != Portrait:
		return fieldErr("orientation", "目录方向请选择横向或纵向")
	case a.LabelPaper != PaperA3 && a.LabelPaper != PaperA4:
		return fieldErr("label_paper", "盒脊纸张请选择 A3 或 A4")
	}
	return nil
}

// archiveSettings reads the archive settings; missing keys take defaults.
func archiveSettings(ctx context.Context, q queryer) (ArchiveSettings, error) {
	a := DefaultArchiveSettings()
	for _, k := range []string{keyCodePattern, keySerialWidth, keyCatalogueRows, keyCatalogueWide, keyLabelPaper} {
		v, err := getSetting(ctx, q, k)
		if err != nil {
			return a, fmt.Errorf("read settings: %w", err)
		}
		if v == "" {
			continue
		}
		switch k {
		case keyCodePattern:
			a.CodePattern = v
		case keySerialWidth:
			a.SerialWidth, _ = strconv.Atoi(v)
		case keyCatalogueRows:
			a.CatalogueRows, _ = strconv.Atoi(v)
		case keyCatalogueWide:
			a.Orientation = v
		case keyLabelPaper:
			a.LabelPaper = v
		}
	}
	return a, nil
}

// ArchiveSettings returns the archive settings.
func (s *Store) ArchiveSettings(ctx context.Context) (ArchiveSettings, error) {
	return archiveSettings(ctx, s.db)
}

func orientationLabel(o string) string {
	if o == Portrait {
		return "纵向"
	}
	return "横向"
}

// UpdateSettings changes the fonds and archive settings. Admins only;
// audited. A new 档号 pattern applies to items registered or renumbered
// afterwards: codes already assigned (boxed or printed ones above all)
// are never rewritten. A coding rule that existing department codes do not
// fit is refused.
func (s *Store) UpdateSettings(ctx context.Context, actor *User, f Fonds, a ArchiveSettings) error {
	f.Code = strings.TrimSpace(f.Code)
	f.Name = strings.TrimSpace(f.Name)
	f.CodingRule = strings.TrimSpace(f.CodingRule)
	a.CodePattern = strings.TrimSpace(a.CodePattern)
	if err := f.Validate(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		admin, err := s.requireAdmin(ctx, tx, actor, "修改系统设置")
		if err != nil {
			return err
		}
		oldF, err := s.fondsIn(ctx, tx)
		if err != nil {
			return err
		}
		oldA, err := archiveSettings(ctx, tx)
		if err != nil {
			return err
		}
		if f.CodingRule != oldF.CodingRule {
			if err := checkRuleFitsDepartments(ctx, tx, f.Rule()); err != nil {
				return err
			}
		}
		var c []Change
		c = diff(c, "全宗号", oldF.Code, f.Code)
		c = diff(c, "全宗名称", oldF.Name, f.Name)
		c = diff(c, "编码规则", oldF.CodingRule, f.CodingRule)
		c = diff(c, "档号格式", oldA.CodePattern, a.CodePattern)
		c = diff(c, "件号位数", strconv.Itoa(oldA.SerialWidth), strconv.Itoa(a.SerialWidth))
		c = diff(c, "目录每页行数", strconv.Itoa(oldA.CatalogueRows), strconv.Itoa(a.CatalogueRows))
		c = diff(c, "目录方向", orientationLabel(oldA.Orientation), orientationLabel(a.Orientation))
		c = diff(c, "盒脊纸张", oldA.LabelPaper, a.LabelPaper)
		if len(c) == 0 {
			return nil
		}
		if err := writeFonds(ctx, tx, f); err != nil {
			return err
		}
		for _, kv := range [][2]string{
			{keyCodePattern, a.CodePattern}, {keySerialWidth, strconv.Itoa(a.SerialWidth)},
			{keyCatalogueRows, strconv.Itoa(a.CatalogueRows)}, {keyCatalogueWide, a.Orientation},
			{keyLabelPaper, a.LabelPaper},
		} {
			if err := setSetting(ctx, tx, kv[0], kv[1]); err != nil {
				return err
			}
		}
		return s.writeAudit(ctx, tx, admin, "", auditRecord{
			Entity: EntitySettings, EntityID: f.Code, Action: ActionUpdate,
			Summary: "修改系统设置", Changes: c,
		})
	})
}

// fondsIn reads the fonds settings inside a transaction.
func (s *Store) fondsIn(ctx context.Context, q queryer) (Fonds, error) {
	var f Fonds
	for _, kv := range []struct {
		key string
		dst *string
	}{{keyFondsCode, &f.Code}, {keyFondsName, &f.Name}, {keyCodingRule, &f.CodingRule}} {
		v, err := getSetting(ctx, q, kv.key)
		if err != nil {
			return f, fmt.Errorf("read settings: %w", err)
		}
		*kv.dst = v
	}
	if f.CodingRule == "" {
		f.CodingRule = DefaultCodingRule
	}
	return f, nil
}

// checkRuleFitsDepartments refuses a coding rule under which an existing
// department code has no level or no parent.
func checkRuleFitsDepartments(ctx context.Context, tx *sql.Tx, rule CodingRule) error {
	rows, err := tx.QueryContext(ctx, `SELECT code FROM departments ORDER BY code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	codes := map[string]bool{}
	var list []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return err
		}
		codes[c] = true
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range list {
		if rule.Level(c) == 0 {
			return fieldErr("coding_rule", "编码规则 %s 与现有部门编码“%s”不符，不能修改", rule, c)
		}
		if p := rule.ParentCode(c); p != "" && !codes[p] {
			return fieldErr("coding_rule", "按编码规则 %s，部门“%s”的上级应为“%s”，但没有这个部门，不能修改", rule, c, p)
		}
	}
	return nil
}
