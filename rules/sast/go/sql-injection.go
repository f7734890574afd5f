package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/mux"
	"gorm.io/gorm"
)

type Server struct {
	db *sql.DB
}

func (s *Server) accountsByOwner(w http.ResponseWriter, r *http.Request) {
	owner := r.URL.Query().Get("owner")
	// ruleid: go.sql-injection
	rows, err := s.db.Query(fmt.Sprintf("SELECT id, iban FROM accounts WHERE owner = '%s'", owner))
	if err != nil {
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
}

func deleteHandler(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := mux.Vars(r)["id"]
		// ruleid: go.sql-injection
		_, err := db.ExecContext(r.Context(), "DELETE FROM payees WHERE id = "+id)
		if err != nil {
			http.Error(w, "error", http.StatusInternalServerError)
		}
	}
}

type searchRequest struct {
	Sort string `json:"sort"`
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	var req searchRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return
	}
	// ruleid: go.sql-injection
	row := s.db.QueryRow("SELECT count(*) FROM transfers ORDER BY " + req.Sort)
	_ = row
}

func ginTransfers(c *gin.Context) {
	db := c.MustGet("db").(*sql.DB)
	q := "SELECT * FROM transfers WHERE reference LIKE '%" + c.Query("ref") + "%'"
	// ruleid: go.sql-injection
	rows, _ := db.Query(q)
	defer rows.Close()
}

func (s *Server) safeAccountsByOwner(w http.ResponseWriter, r *http.Request) {
	owner := r.URL.Query().Get("owner")
	// ok: go.sql-injection
	rows, err := s.db.Query("SELECT id, iban FROM accounts WHERE owner = $1", owner)
	if err != nil {
		return
	}
	defer rows.Close()
}

func (s *Server) safeDelete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(mux.Vars(r)["id"])
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	// ok: go.sql-injection
	s.db.ExecContext(r.Context(), fmt.Sprintf("DELETE FROM payees WHERE id = %d", id))
}

var sortColumns = map[string]string{"date": "created_at", "amount": "amount"}

func (s *Server) safeSearch(w http.ResponseWriter, r *http.Request) {
	column, ok := sortColumns[r.URL.Query().Get("sort")]
	if !ok {
		column = "created_at"
	}
	// ok: go.sql-injection
	row := s.db.QueryRow("SELECT count(*) FROM transfers WHERE status = $1", r.FormValue("status"))
	_, _ = row, column
}

type Payee struct {
	ID   uint
	Name string
}

func gormPayees(orm *gorm.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		var payees []Payee
		// ruleid: go.sql-injection
		orm.Where("name = '" + c.Param("name") + "'").Find(&payees)
		// ok: go.sql-injection
		orm.Where("name = ?", c.Param("name")).Find(&payees)
		c.JSON(http.StatusOK, payees)
	}
}

type Account struct {
	ID   int    `db:"id"`
	IBAN string `db:"iban"`
}

type sqlxDB interface {
	Get(dest interface{}, query string, args ...interface{}) error
}

func sqlxAccount(db sqlxDB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var acct Account
		// ruleid: go.sql-injection
		db.Get(&acct, "SELECT id, iban FROM accounts WHERE iban = '"+r.FormValue("iban")+"'")
		// ok: go.sql-injection
		db.Get(&acct, "SELECT id, iban FROM accounts WHERE iban = $1", r.FormValue("iban"))
	}
}
