# Loads sections written by `LegacyStub --dump DIR N` (the source format of docs/legacy-contract.md) into the SQLite database
# of the Rails-like stand-in. Usage: LEGACY_DB=legacy.sqlite3 ruby seed.rb DIR
require_relative "models"

ActiveRecord::Schema.verbose = false
ActiveRecord::Schema.define do
  create_table :sections, force: true do |t|
    t.string :school_id; t.string :name; t.string :term; t.string :weighting; t.text :grading_standard
    t.boolean :missing_deduction_enabled; t.float :missing_deduction
  end
  create_table :assignment_groups, force: true do |t|
    t.integer :section_id, index: true; t.string :name; t.float :weight
    t.integer :drop_lowest; t.integer :drop_highest; t.text :never_drop
  end
  create_table :assignments, force: true do |t|
    t.integer :section_id, index: true; t.integer :assignment_group_id; t.integer :position
    t.string :name; t.float :points_possible; t.boolean :omit_from_final_grade
  end
  create_table :students, force: true do |t|
    t.string :name
  end
  create_table :enrollments, force: true do |t|
    t.integer :section_id, index: true; t.integer :student_id
  end
  create_table :submissions, force: true do |t|
    t.integer :assignment_id, index: true; t.integer :student_id, index: true
    t.float :score; t.boolean :excused; t.boolean :missing
  end
end

files = Dir[File.join(ARGV.fetch(0), "section-*.json")].sort
ActiveRecord::Base.transaction do
  files.each do |f|
    d = JSON.parse(File.read(f))
    s = d["section"]; lp = d["late_policy"] || {}
    Section.insert_all!([{ id: s["id"], school_id: s["school_id"], name: s["name"], term: s["term"], weighting: d["weighting"],
                           grading_standard: d["grading_standard"],
                           missing_deduction_enabled: lp["missing_submission_deduction_enabled"],
                           missing_deduction: lp["missing_submission_deduction"] }])
    AssignmentGroup.insert_all!(d["groups"].map { |g|
      { id: g["id"], section_id: s["id"], name: g["name"], weight: g["weight"], drop_lowest: g["rules"]["drop_lowest"],
        drop_highest: g["rules"]["drop_highest"], never_drop: g["rules"]["never_drop"] } })
    Assignment.insert_all!(d["assignments"].each_with_index.map { |a, i|
      { id: a["id"], section_id: s["id"], assignment_group_id: a["group_id"], position: i, name: a["name"],
        points_possible: a["points_possible"], omit_from_final_grade: a["omit_from_final_grade"] } })
    Student.upsert_all(d["students"].map { |st| { id: st["id"], name: st["name"] } })
    Enrollment.insert_all!(d["students"].map { |st| { section_id: s["id"], student_id: st["id"] } })
    Submission.insert_all!(d["scores"].map { |x|
      { assignment_id: x["assignment_id"], student_id: x["student_id"], score: x["score"], excused: x["excused"],
        missing: x["missing"] } })
  end
end
puts "seeded #{files.size} sections, #{Submission.count} submissions"
