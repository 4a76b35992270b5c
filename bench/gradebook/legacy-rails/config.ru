# A Rails-like legacy stand-in for the gradebook HTTP benchmark: GET /api/v1/sections/:id/gradebook does what the
# legacy Rails controller does (ActiveRecord queries, rows to hashes, ActiveSupport's to_json), on Puma.
# It is lighter than the real app (no routing, middleware stack, views or PostgreSQL round trips), so the cold
# path it gives is, if anything, too fast. Run: LEGACY_DB=... puma -w 2 -t 3:3 -b tcp://127.0.0.1:PORT config.ru
require_relative "models"
require "active_support/json"

num = ->(v) { v.nil? ? nil : (v == v.to_i ? v.to_i : v) }   # 10.0 -> 10, as the app's decimal columns print

gradebook = lambda do |id|
  section = Section.find(id)
  groups = section.assignment_groups.order(:id).to_a
  assignments = section.assignments.order(:position).to_a
  students = section.students.order(:id).to_a
  submissions = Submission.where(assignment_id: assignments.map(&:id)).order(:id).to_a
  {
    section: { id: section.id, school_id: section.school_id, name: section.name, term: section.term },
    weighting: section.weighting,
    grading_standard: section.grading_standard,
    late_policy: { missing_submission_deduction_enabled: section.missing_deduction_enabled,
                   missing_submission_deduction: num.(section.missing_deduction) },
    groups: groups.map { |g|
      { id: g.id, name: g.name, weight: num.(g.weight),
        rules: { drop_lowest: g.drop_lowest, drop_highest: g.drop_highest, never_drop: g.never_drop } } },
    assignments: assignments.map { |a|
      { id: a.id, group_id: a.assignment_group_id, name: a.name, points_possible: num.(a.points_possible),
        omit_from_final_grade: a.omit_from_final_grade } },
    students: students.map { |s| { id: s.id, name: s.name } },
    scores: submissions.map { |x|
      { student_id: x.student_id, assignment_id: x.assignment_id, score: num.(x.score), excused: x.excused,
        missing: x.missing } },
  }.to_json
end

run lambda { |env|
  if env["REQUEST_METHOD"] == "GET" && env["PATH_INFO"] =~ %r{\A/api/v1/sections/(\d+)/gradebook\z}
    begin
      body = ActiveRecord::Base.connection_pool.with_connection { gradebook.($1.to_i) }
      [200, { "Content-Type" => "application/json" }, [body]]
    rescue ActiveRecord::RecordNotFound
      [404, { "Content-Type" => "application/json" }, ['{"error":"not found"}']]
    end
  else
    [404, { "Content-Type" => "application/json" }, ['{"error":"not found"}']]
  end
}
