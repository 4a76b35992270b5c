# frozen_string_literal: true

# The numbers a report card prints beyond the data (the "view helpers" of the legacy app), shared by the Prawn
# and the HTML generator so that both print the same figures.
module CardFigures
  POINTS = { "A" => 4.0, "A-" => 3.7, "B+" => 3.3, "B" => 3.0, "B-" => 2.7, "C+" => 2.3, "C" => 2.0,
             "C-" => 1.7, "D+" => 1.3, "D" => 1.0, "F" => 0.0 }.freeze

  SCALE_NOTE = "Grading scale: A 93-100 · A- 90-92 · B+ 87-89 · B 83-86 · B- 80-82 · C+ 77-79 · C 73-76 · " \
               "C- 70-72 · D+ 67-69 · D 60-66 · F below 60. T1-T4: term marks; Avg: semester average."

  module_function

  # Credit-weighted grade points, 2 decimals.
  def gpa(courses)
    weighted = courses.sum { |c| POINTS.fetch(c["final"]) * c["credits"] }
    format("%.2f", weighted / courses.sum { |c| c["credits"] })
  end

  # Credits of the courses passed (anything but F).
  def credits_earned(courses)
    format("%.1f", courses.sum { |c| c["final"] == "F" ? 0 : c["credits"] })
  end

  def attendance_rate(attendance)
    present = attendance["days_present"]
    format("%.1f%%", 100.0 * present / (present + attendance["days_absent"]))
  end

  def mark(value) = value.to_s
  def average(value) = format("%.1f", value)
  def credits(value) = format("%.1f", value)
end
