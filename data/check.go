package data

import (
	"context"
	"database/sql"
	"fmt"
	"os"
)

// Check opens the database of dir read-only and runs SQLite's integrity and
// foreign-key checks. It returns the problems found (none means ok); an
// error means the check itself could not run.
func Check(ctx context.Context, dir string) ([]string, error) {
	path := DBPath(dir)
	if _, err := os.Stat(path); err != nil {
		return nil, Errorf(ENOTFOUND, "数据目录 %s 中没有数据库文件 %s", dir, DBFileName)
	}
	db, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	var problems []string
	if v, err := schemaVersion(ctx, db); err != nil {
		return []string{"无法读取数据库：" + err.Error()}, nil
	} else if v > SchemaVersion() {
		problems = append(problems, fmt.Sprintf("数据库由更新版本的档案通创建（数据结构版本 %d，本程序支持到 %d）", v, SchemaVersion()))
	}
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return append(problems, "完整性检查无法运行："+err.Error()), nil
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return append(problems, "完整性检查中断："+err.Error()), nil
		}
		if line != "ok" {
			problems = append(problems, "完整性："+line)
		}
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, "完整性检查中断："+err.Error())
	}
	rows.Close()

	rows, err = db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return append(problems, "外键检查无法运行："+err.Error()), nil
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return append(problems, "外键检查中断："+err.Error()), nil
		}
		problems = append(problems, fmt.Sprintf("外键：表 %s 第 %d 行引用的 %s 记录不存在", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		problems = append(problems, "外键检查中断："+err.Error())
	}
	return problems, nil
}
