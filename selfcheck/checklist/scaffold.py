"""``selfcheck checklist new``: a documented example checklist to start from."""

from __future__ import annotations

import re

from selfcheck.checklist.schema import SCHEMA_FILENAME

_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

_EXAMPLE = """\
# yaml-language-server: $schema={schema}
#
# 示例检查表：复制本文件修改即可。完整说明见 docs/checklist-format.md。
# 修改后运行：selfcheck checklist validate {filename}
# 预览效果：  selfcheck checklist show {filename}
#
# 书写要点：
#   - 只用空格缩进（不要用 Tab），同一层对齐；“键: 值”的冒号后要有空格。
#   - 版本号、纯数字、yes/no/on/off 等当作文字时要加引号，如 version: "2009.1"。
#   - 各种“标识”（id、value、问题组名称）只能用字母、数字、- 和 _，以字母开头；
#     答卷按标识保存答案，发布后不要再改标识。

schema_version: 1                  # 格式版本，固定写 1
id: {checklist_id}                 # 检查表标识，命令行和答卷用它指代本表
version: "{year}.1"                # 版本：每次修改内容后更新，要加引号
title: 示例对照检查表
description: 对照本单位作风建设要求，逐条进行自我检查。

campaign:                          # 活动信息，显示在填写界面和对照检查材料中
  name: 加强机关作风建设活动
  issuer: 局党组                   # 印发单位（可省略）
  basis: 某办发[{year}]1号          # 依据文号（可省略）
  period: {year}年3月—{year}年5月     # 时间范围（可省略）
  motto: 从思想根源上查，从工作实际中找，从群众意见中摆

roles:                             # 填写人角色：至少一个
  - id: leader
    label: 领导干部
  - id: staff
    label: 一般干部

scales:                            # 评分等级：可被多个单选题引用（scale: 名称）
  rating:
    - value: good                  # 保存到答卷中的值
      label: 做得好                # 显示给填写人的文字
      score: 3                     # 分值，用于统计平均分（可省略）
    - value: basic
      label: 基本做到
      score: 2
    - value: some
      label: 存在一些问题
      score: 1
      problem: true                # 选中即表示存在问题，会要求填写后续问题并计入问题统计

question_sets:                     # 问题组：写一次，多处用 - use: 名称 引用
  self_check:
    - id: rating
      type: single_choice          # 题型：single_choice 单选（用 scale 或 options）
      scale: rating
      meaning: rating              # 含义：rating 表示这是自我评价
      required: true
      prompt: 对照这一条，你的自我评价是
      help: 实事求是，不回避问题。   # 填写时输入 ? 显示
    - id: manifestation
      type: long_text              # 多行文本
      meaning: problem             # 进入“存在的主要问题”
      required: true
      when: rating.problem         # 条件：仅当自评选了 problem: true 的选项时才问
      prompt: 具体表现
    - id: cause
      type: long_text
      meaning: cause               # 进入“原因剖析”
      when: rating.problem
      prompt: 原因剖析
    - id: measure
      type: long_text
      meaning: measure             # 进入“整改措施”和整改台账
      required: true
      when: rating.problem
      prompt: 整改措施
    - id: deadline
      type: date                   # 日期，如 2009-03-31
      meaning: deadline            # 整改时限
      when: rating.problem
      prompt: 整改时限

sections:
  - id: work                       # 章节标识
    title: 工作作风                 # 章节标题
    rubric: 四个是否                # 对照标准（可省略）
    questions:                     # 本章节每个检查项默认都问这些问题
      - use: self_check
    items:
      - id: work-1                 # 检查项标识：整个检查表内唯一
        title: 工作态度是否端正      # 简短标题（可省略）
        text: 是否存在门难进、脸难看、话难听、事难办现象   # 检查内容
      - id: work-2
        title: 工作效率是否高效
        text: 是否办事拖拉、相互扯皮

  - id: leadership
    title: 领导作风
    roles: [leader]                # 仅领导干部填写；省略 roles 表示所有角色都填写
    questions:
      - use: self_check
    items:
      - id: leadership-1
        text: 深入群众、深入基层、体察民情多
        standard: 看是否真正做到     # 检验标准（可省略）

  - id: study
    title: 学习情况
    items:
      - id: study-1
        text: 注重自身学习
        questions:                 # 检查项也可以有自己的问题（代替章节的默认问题）
          - id: channels
            type: multiple_choice  # 多选：用 options 直接列出选项
            prompt: 本阶段主要通过哪些途径学习
            options:
              - {{value: books, label: 向书本学习}}
              - {{value: grassroots, label: 向基层学习}}
          - id: sessions
            type: number           # 数字：可写 min、max、unit
            prompt: 参加集中学习的次数
            unit: 次
            min: 0
            max: 100
          - id: notes
            type: yes_no           # 是/否
            prompt: 是否撰写了学习心得
          - id: notes_title
            type: short_text       # 单行文字
            prompt: 心得题目
            when: notes            # 仅当上一题答“是”时才问
          - id: guidance
            type: long_text
            prompt: 指导了哪些同志学习
            when: role == 'leader' # 条件也可以看角色
          - use: self_check        # 再接上公共问题组
"""


def checklist_id_for(stem: str) -> str:
    """A checklist id from a file name: the name itself when it is a valid id."""
    candidate = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")
    if _IDENTIFIER.match(candidate) and len(candidate) <= 64:
        return candidate
    return "my-checklist"


def example_checklist(filename: str, stem: str, year: int) -> str:
    """The example checklist text for a new file named ``filename``."""
    return _EXAMPLE.format(
        schema=SCHEMA_FILENAME,
        filename=filename,
        checklist_id=checklist_id_for(stem),
        year=year,
    )
