#!/usr/bin/env ruby
# frozen_string_literal: true
#
# The group-report data set: a school and N students, each with 8 courses (4 term marks, average, letter,
# teacher's comment), attendance and an advisor's comment. The bytes are the same on every machine and Ruby
# version: the random numbers come from a fixed-seed xorshift64* of our own, not from Ruby's Random.
#
#   ruby gen_data.rb DIR N [N ...]    -> DIR/data-N.json for each N
#
# Every N starts from the same seed, so data-100 is the first 100 students of data-2000. pdf-service takes the
# same file as a request once "template" and "school_id" are added (bench/pdf/lib.sh does that).

require "json"

module GroupReportData
  SEED = 20_250_117

  # xorshift64* (Vigna): three shifts, then one multiplication; 64-bit state.
  class Xorshift
    MASK64 = (1 << 64) - 1

    def initialize(seed)
      @state = (seed ^ 0x9E37_79B9_7F4A_7C15) & MASK64
      @state = 1 if @state.zero?
    end

    def next64
      s = @state
      s ^= s >> 12
      s ^= (s << 25) & MASK64
      s ^= s >> 27
      @state = s
      (s * 0x2545_F491_4F6C_DD1D) & MASK64
    end

    def between(low, high) = low + (next64 % (high - low + 1))
    def one_of(list) = list[next64 % list.size]
    def percent?(pct) = between(1, 100) <= pct
  end

  # Names from many languages, so that the PDFs need more than Latin-1.
  FIRST_NAMES = %w[
    José María Lucía Sofía Martín Joaquín Inés Andrés Ramón Álvaro
    Zoë Chloé Noémie Hélène François Amélie Léa Björn Søren Åsa
    Jürgen Anaïs Renée Mónica Iñaki Julián Begoña Ángela Raúl Tomás
    Aarav Priya Vikram Ananya Rohan Lakshmi Arjun Kavya Siddharth Meera
    Aditya Divya Rahul Sneha Karthik Pooja Harpreet Gurpreet Nikhil Deepika
    Emma Liam Olivia Noah Ava Ethan Mia Lucas Grace Owen
    Łucja Wojciech Zoltán Ştefan Ayşe Emeka Chidi Thảo Minh Kenji
  ].freeze

  LAST_NAMES = [
    "Núñez", "García", "Martínez", "Peña", "Ibáñez", "Gómez", "Muñoz", "Hernández", "Sánchez", "Fernández",
    "Lefèvre", "Dubois", "Bérénger", "Côté", "Gagné", "Østergaard", "Åkesson", "Müller", "Schäfer", "Weiß",
    "Sharma", "Venkataraman", "Subramanian", "Iyer", "Patel", "Reddy", "Nair", "Chatterjee", "Krishnamurthy",
    "Bhattacharya", "Singh", "Gupta", "Menon", "Deshpande", "Raghunathan", "Kulkarni",
    "Smith", "Johnson", "Williams", "Brown", "O'Connor", "MacDonald", "Nguyễn", "Wiśniewska", "Kovács", "Yılmaz",
    "Okafor", "Tanaka", "Rossi", "Conceição"
  ].freeze

  STAFF = [
    "Ms. Catherine Walsh", "Mr. Daniel Ortega", "Dr. Radhika Iyengar", "Mrs. Brigitte Lemaître",
    "Mr. Suresh Balasubramanian", "Ms. Ingrid Sjöberg", "Mr. Thomas Becker", "Mrs. Aisha Rahman",
    "Dr. Miguel Ángel Domínguez", "Ms. Naomi Fitzgerald", "Mr. Prakash Hegde", "Mrs. Eleanor Price",
    "Mr. Kwame Mensah", "Ms. Yuki Morimoto", "Mr. Stéphane Girard", "Mrs. Lalitha Narayanan"
  ].freeze

  # One entry per course slot: the course code prefix and the titles a grade level picks from
  # (%d = grade level, %s = language level in Roman numerals).
  SLOTS = [
    ["ENG", ["English Language & Literature", "English %d: American Literature", "English %d: World Literature",
             "AP English Literature"]],
    ["MAT", ["Algebra I", "Geometry", "Algebra II & Trigonometry", "Pre-Calculus", "AP Calculus AB"]],
    ["SCI", ["Biology", "Chemistry", "Physics", "Environmental Science", "AP Biology"]],
    ["HIS", ["World History", "U.S. History", "Government & Economics", "AP European History"]],
    ["LAN", ["Spanish %s", "French %s", "Hindi %s", "German %s"]],
    ["PEH", ["Physical Education & Health"]],
    ["ART", ["Visual Arts", "Concert Band", "Choir", "Theatre Arts", "Digital Media"]],
    ["CSC", ["Intro to Computer Science", "Computer Science Principles", "Data Structures & Algorithms",
             "Statistics"]]
  ].freeze
  HALF_CREDIT_SLOT = 5 # physical education

  PRAISE = [
    "%s participates thoughtfully in class discussions",
    "%s consistently completes homework on time",
    "%s shows real curiosity and asks excellent questions",
    "%s works well with classmates during group projects",
    "%s has made steady progress this term",
    "%s demonstrates a solid grasp of the core concepts",
    "%s writes clearly and supports arguments with evidence",
    "%s approaches problems carefully and checks the work",
    "%s brings energy and a positive attitude to every lesson",
    "%s showed notable improvement on the mid-term assessment"
  ].freeze

  # A leading ";" joins without a space.
  ADVICE = [
    "and should keep reviewing notes before each quiz",
    "but needs to submit lab reports by the deadline",
    "; more practice with multi-step problems is recommended",
    "and would benefit from reading more widely outside class",
    "but should ask for help sooner when a topic is unclear",
    "; organising the binder would help with revision",
    "and is encouraged to take on a leadership role next term",
    "; attendance at the Thursday study sessions is advised"
  ].freeze

  POSTSCRIPTS = [
    " Keep up the good work!",
    " A pleasure to have in class.",
    " Please see me about the optional enrichment project.",
    " Parents are welcome to contact me during office hours.",
    " The final portfolio was one of the strongest in the section.",
    ""
  ].freeze

  SCHOOL = {
    "name" => "Lakeview International Secondary School",
    "address" => ["1450 Maplewood Avenue", "Springfield, OR 97477", "Tel. (541) 555-0142 · office@lakeview-intl.example"],
    "district" => "Cascade Valley School District No. 19",
    "term" => "2024–2025 · Semester 2",
    "issued" => "2025-06-13",
    "principal" => "Dr. Margaret Åhlund-Kapoor",
    "school_days" => 92
  }.freeze

  # Lower bound of each letter, highest first (the scale printed on every card).
  LETTERS = [[93, "A"], [90, "A-"], [87, "B+"], [83, "B"], [80, "B-"], [77, "C+"], [73, "C"], [70, "C-"],
             [67, "D+"], [60, "D"]].freeze
  ROMAN = %w[I II III IV].freeze

  module_function

  def letter_for(average)
    LETTERS.each { |bound, letter| return letter if average >= bound }
    "F"
  end

  # 60 to 200 characters: praise, advice, sometimes a postscript.
  def teacher_comment(rng, given_name)
    text = format(rng.one_of(PRAISE), given_name)
    advice = rng.one_of(ADVICE)
    text += advice.start_with?(";") ? advice : " #{advice}"
    text += "."
    text += rng.one_of(POSTSCRIPTS) if rng.percent?(60)
    text = "#{text[0, 197]}..." if text.length > 200
    text += " Well done." while text.length < 60
    text
  end

  def course(rng, slot, grade, ability, given_name)
    prefix, titles = SLOTS[slot]
    title = titles[(grade - 9 + rng.between(0, 1)) % titles.size]
    title = format(title, grade) if title.include?("%d")
    title = format(title, ROMAN[grade - 9]) if title.include?("%s")
    marks = Array.new(4) { (ability + rng.between(-12, 10)).clamp(45, 100) }
    average = marks.sum / 4.0
    code = format("%s%d%02d", prefix, grade, rng.between(1, 40))
    {
      "code" => code,
      "title" => title,
      "teacher" => rng.one_of(STAFF),
      "credits" => slot == HALF_CREDIT_SLOT ? 0.5 : 1.0,
      "marks" => marks,
      "average" => average.round(1),
      "final" => letter_for(average),
      "comment" => teacher_comment(rng, given_name)
    }
  end

  def student(rng, index)
    first = rng.one_of(FIRST_NAMES)
    first = "#{first} #{rng.one_of(FIRST_NAMES)}" if rng.percent?(15)
    given = first.split.first
    last = rng.one_of(LAST_NAMES)
    grade = rng.between(9, 12)
    ability = rng.between(62, 97)
    courses = Array.new(SLOTS.size) { |slot| course(rng, slot, grade, ability, given) }
    absent = rng.percent?(70) ? rng.between(0, 4) : rng.between(5, 14)
    id = format("LIS-%d-%05d", 2025 - (grade - 9), 10_000 + index * 7 + rng.between(0, 6))
    homeroom = format("%d-%s", grade, %w[A B C D E][rng.between(0, 4)])
    advisor = rng.one_of(STAFF)
    born = format("%04d-%02d-%02d", 2010 - (grade - 9) - rng.between(0, 1), rng.between(1, 12), rng.between(1, 28))
    tardy = rng.percent?(60) ? rng.between(0, 3) : rng.between(4, 11)
    {
      "id" => id,
      "first_name" => first,
      "last_name" => last,
      "name" => "#{first} #{last}",
      "grade_level" => grade,
      "homeroom" => homeroom,
      "advisor" => advisor,
      "date_of_birth" => born,
      "courses" => courses,
      "attendance" => {
        "days_present" => SCHOOL["school_days"] - absent,
        "days_absent" => absent,
        "days_tardy" => tardy
      },
      "advisor_comment" => "#{teacher_comment(rng, given)} #{teacher_comment(rng, given)}"
    }
  end

  def data_set(count)
    rng = Xorshift.new(SEED)
    { "school" => SCHOOL, "generated_by" => "gen_data.rb seed=#{SEED}",
      "students" => Array.new(count) { |i| student(rng, i) } }
  end
end

if ARGV.size < 2
  warn "usage: ruby gen_data.rb DIR N [N ...]"
  exit 2
end
dir = ARGV.shift
ARGV.each do |arg|
  path = File.join(dir, "data-#{Integer(arg)}.json")
  File.write(path, "#{JSON.pretty_generate(GroupReportData.data_set(Integer(arg)))}\n")
  puts path
end
