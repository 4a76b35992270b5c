#!/usr/bin/env ruby
# frozen_string_literal: true
#
# The legacy app's group report, the Prawn way: one PDF, one report card per student (each on its own page),
# "Page X of Y" over the whole document. Prawn keeps the whole document until it is written, as the app did.
#
#   ruby prawn_report.rb data-N.json out.pdf
#
# Fonts: DejaVu Sans (TrueType, embedded as subsets) from BASELINE_FONTS, else found with fc-match: the names in
# the data need more than the Windows-1252 of Prawn's built-in fonts. PRAWN_COMPRESS=1 compresses the streams
# (Prawn's default, and the app's, is uncompressed).

require "json"
require "prawn"
require "prawn/table"
require_relative "card_figures"

class PrawnGroupReport
  include CardFigures

  INK = "1F3A5F"
  MUTED = "666666"
  SHADE = "EEEEEE"
  RULE = "BBBBBB"
  COURSE_COLUMNS = [50, 150, 124, 24, 24, 24, 24, 30, 34].freeze # the last column takes the rest

  def initialize(data)
    @school = data.fetch("school")
    @students = data.fetch("students")
  end

  def write(path)
    doc = Prawn::Document.new(page_size: "A4", margin: [36, 36, 44, 36], compress: ENV["PRAWN_COMPRESS"] == "1",
                              info: { Title: "Group report - #{@school['term']}", Creator: "prawn_report.rb",
                                      Producer: "Prawn #{Prawn::VERSION}" })
    use_dejavu(doc)
    @students.each_with_index do |student, i|
      doc.start_new_page if i.positive?
      report_card(doc, student)
    end
    page_footer(doc)
    doc.render_file(path)
  end

  private

  def use_dejavu(doc)
    faces = { normal: "DejaVu Sans", bold: "DejaVu Sans:bold", italic: "DejaVu Sans:italic",
              bold_italic: "DejaVu Sans:bold:italic" }
    doc.font_families.update("DejaVu" => faces.transform_values { |pattern| font_file(pattern) })
    doc.font "DejaVu", size: 9
  end

  def font_file(pattern)
    dir = ENV["BASELINE_FONTS"]
    file = if dir
             File.join(dir, { "DejaVu Sans" => "DejaVuSans.ttf", "DejaVu Sans:bold" => "DejaVuSans-Bold.ttf",
                              "DejaVu Sans:italic" => "DejaVuSans-Oblique.ttf",
                              "DejaVu Sans:bold:italic" => "DejaVuSans-BoldOblique.ttf" }.fetch(pattern))
           else
             IO.popen(["fc-match", "-f", "%{file}", pattern], &:read)
           end
    abort "#{pattern}: no DejaVu TrueType font (got #{file.inspect}); install fonts-dejavu-core" unless file.to_s.include?("DejaVuSans")
    file
  end

  def report_card(doc, student)
    letterhead(doc)
    identity(doc, student)
    course_table(doc, student["courses"])
    attendance_summary(doc, student)
    advisor_comments(doc, student)
    signature_lines(doc)
  end

  def letterhead(doc)
    top = doc.cursor
    left_width = doc.bounds.width * 0.68
    doc.bounding_box([0, top], width: left_width) do
      doc.text @school["name"], size: 14, style: :bold, color: INK
      doc.text @school["district"], size: 8.5, color: MUTED
      @school["address"].each { |line| doc.text line, size: 8.5, color: MUTED }
    end
    below_left = doc.cursor
    doc.bounding_box([left_width, top], width: doc.bounds.width - left_width) do
      doc.text "STUDENT REPORT CARD", size: 11, style: :bold, align: :right, color: INK
      doc.text @school["term"], size: 8.5, align: :right
      doc.text "Issued #{@school['issued']}", size: 8.5, align: :right, color: MUTED
    end
    doc.move_cursor_to [below_left, doc.cursor].min
    doc.move_down 6
    doc.stroke_color INK
    doc.line_width 1.5
    doc.stroke_horizontal_rule
    doc.line_width 1
    doc.stroke_color "000000"
    doc.move_down 8
  end

  def identity(doc, s)
    rows = [["Student", s["name"], "Student ID", s["id"]],
            ["Grade level", s["grade_level"].to_s, "Homeroom", s["homeroom"]],
            ["Advisor", s["advisor"], "Date of birth", s["date_of_birth"]]]
    width = doc.bounds.width
    doc.table(rows, width: width, column_widths: [0.14, 0.40, 0.14, 0.32].map { |f| width * f },
                    cell_style: { borders: [], padding: [2, 4], size: 9 }) do |t|
      [0, 2].each do |label|
        t.column(label).font_style = :bold
        t.column(label).text_color = MUTED
      end
      t.cells[0, 1].font_style = :bold
      t.cells[0, 1].size = 11
    end
    doc.move_down 10
  end

  # A shaded row per course, then its teacher's comment in italics across the whole width.
  def course_table(doc, courses)
    rows = [%w[Code Course Teacher T1 T2 T3 T4 Avg Final Cr.]]
    courses.each do |c|
      rows << [c["code"], c["title"], c["teacher"], *c["marks"].map { |m| mark(m) }, average(c["average"]),
               c["final"], credits(c["credits"])]
      rows << [{ content: c["comment"], colspan: 10 }]
    end
    width = doc.bounds.width
    doc.table(rows, header: true, width: width, column_widths: COURSE_COLUMNS + [width - COURSE_COLUMNS.sum],
                    cell_style: { size: 8.5, padding: [3, 4], border_width: 0.5, border_color: RULE }) do |t|
      t.row(0).font_style = :bold
      t.row(0).background_color = INK
      t.row(0).text_color = "FFFFFF"
      t.columns(3..9).align = :center
      (1...t.row_length).each do |r|
        if r.odd?
          t.row(r).background_color = SHADE
          t.cells[r, 8].font_style = :bold
        else
          t.row(r).font_style = :italic
          t.row(r).size = 7.5
          t.row(r).text_color = "333333"
          t.row(r).padding = [2, 4, 4, 12]
        end
      end
    end
    doc.move_down 10
  end

  def attendance_summary(doc, s)
    a = s["attendance"]
    rows = [["School days", "Present", "Absent", "Tardy", "Attendance", "Credits earned", "Semester GPA"],
            [@school["school_days"].to_s, a["days_present"].to_s, a["days_absent"].to_s, a["days_tardy"].to_s,
             attendance_rate(a), credits_earned(s["courses"]), gpa(s["courses"])]]
    doc.text "Attendance & summary", style: :bold, size: 10, color: INK
    doc.move_down 3
    doc.table(rows, width: doc.bounds.width,
                    cell_style: { size: 9, align: :center, padding: [3, 4], border_width: 0.5, border_color: RULE }) do |t|
      t.row(0).font_style = :bold
      t.row(0).background_color = SHADE
    end
    doc.move_down 10
  end

  def advisor_comments(doc, s)
    doc.text "Advisor's comments", style: :bold, size: 10, color: INK
    doc.move_down 3
    doc.bounding_box([0, doc.cursor], width: doc.bounds.width) do
      doc.pad(4) { doc.indent(6, 6) { doc.text s["advisor_comment"], size: 9, leading: 2 } }
      doc.stroke_color RULE
      doc.stroke_bounds
      doc.stroke_color "000000"
    end
    doc.move_down 8
    doc.text SCALE_NOTE, size: 7, color: MUTED
  end

  # Three signature lines just above the footer, at the same height on every card.
  def signature_lines(doc)
    doc.move_cursor_to 60 if doc.cursor > 60
    width = (doc.bounds.width - 40) / 3.0
    signers = [["Advisor", "Signature and date"], ["Principal", @school["principal"]],
               ["Parent / Guardian", "Signature and date"]]
    signers.each_with_index do |(role, line), i|
      x = i * (width + 20)
      doc.stroke_line [x, doc.cursor], [x + width, doc.cursor]
      doc.bounding_box([x, doc.cursor - 3], width: width, height: 24) do
        doc.text role, size: 8, style: :bold
        doc.text line, size: 7.5, color: MUTED
      end
      doc.move_up 27 unless i == signers.size - 1
    end
  end

  def page_footer(doc)
    doc.repeat(:all) do
      doc.stroke_color RULE
      doc.stroke_line [0, -10], [doc.bounds.width, -10]
      doc.stroke_color "000000"
      doc.draw_text "#{@school['name']} · Confidential student record", at: [0, -22], size: 7
    end
    doc.number_pages "Page <page> of <total>", at: [doc.bounds.right - 150, -15], width: 150, align: :right, size: 7.5
  end
end

unless ARGV.size == 2
  warn "usage: ruby prawn_report.rb data-N.json out.pdf"
  exit 2
end
PrawnGroupReport.new(JSON.parse(File.read(ARGV[0]))).write(ARGV[1])
