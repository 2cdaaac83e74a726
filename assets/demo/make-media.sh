#!/bin/sh
# make-media.sh — regenerates the demo bundle's pictures with ImageMagick:
# logo, posters and abstract honoree "portraits" (shapes only, never people).
# Run from anywhere: sh assets/demo/make-media.sh
set -eu
out=$(cd "$(dirname "$0")" && pwd)/noticeboard/media
mkdir -p "$out"
SANS=Noto-Sans-CJK-SC
BOLD=Noto-Sans-CJK-SC-Bold
SERIF=Noto-Serif-CJK-SC-Bold
# -strip drops timestamps so regenerating gives the same bytes.
J="-strip -sampling-factor 4:2:0 -quality 82"

# Logo: red roundel, white house outline, name underneath; transparent PNG.
convert -size 256x256 xc:none \
    -fill '#c8161d' -draw 'circle 128,128 128,6' \
    -fill none -stroke '#f7d774' -strokewidth 6 -draw 'circle 128,128 128,20' \
    -stroke none -fill white -draw 'polygon 66,124 128,66 190,124' \
    -draw 'rectangle 88,118 168,170' \
    -fill '#c8161d' -draw 'rectangle 116,136 140,170' \
    -font "$BOLD" -pointsize 34 -fill white -gravity north -annotate +0+178 '幸福里' \
    -strip "$out/logo.png"

# Poster: culture festival, warm gradient, decorative rings.
convert -size 1600x900 gradient:'#b3141b'-'#f39c32' \
    -fill none -stroke '#ffffff40' -strokewidth 18 \
    -draw 'circle 1380,180 1380,20' -draw 'circle 1460,760 1460,560' \
    -draw 'circle 120,820 120,700' \
    -stroke none -fill '#ffe9a8' -font "$SERIF" -pointsize 120 \
    -gravity northwest -annotate +110+150 '幸福里社区' \
    -fill white -pointsize 150 -annotate +110+300 '第八届文化节' \
    -font "$SANS" -pointsize 54 -fill '#fff6dc' \
    -annotate +116+530 '2026年11月28日（周六）14:00' \
    -annotate +116+610 '社区文化广场 · 戏曲 · 合唱 · 书画展' \
    -pointsize 40 -fill '#ffffffcc' -annotate +116+760 '欢迎居民朋友携家人参加' \
    $J "$out/wenhuajie.jpg"

# Poster: reading month, green gradient, a row of "books".
convert -size 1600x900 gradient:'#0f5132'-'#5fb37a' \
    -stroke none \
    -fill '#f4d35e' -draw 'roundrectangle 1040,300 1110,760 8,8' \
    -fill '#ee964b' -draw 'roundrectangle 1120,260 1200,760 8,8' \
    -fill '#faf0ca' -draw 'roundrectangle 1210,330 1270,760 8,8' \
    -fill '#f95738' -draw 'roundrectangle 1280,280 1370,760 8,8' \
    -fill '#0d3b66' -draw 'roundrectangle 1380,350 1440,760 8,8' \
    -fill '#ffffff' -draw 'rectangle 1010,760 1480,780' \
    -font "$SERIF" -pointsize 130 -fill white -gravity northwest \
    -annotate +110+170 '书香幸福里' \
    -font "$BOLD" -pointsize 70 -fill '#f4d35e' -annotate +116+360 '11月 社区读书月' \
    -font "$SANS" -pointsize 44 -fill '#eafff0' \
    -annotate +116+500 '图书角新到图书300册' \
    -annotate +116+570 '亲子共读 · 读书分享会 · 好书漂流' \
    $J "$out/dushuyue.jpg"

# Photo-like notice picture: sorting bins, for the 垃圾分类 announcement.
convert -size 1200x800 gradient:'#dff3ff'-'#ffffff' \
    -stroke none \
    -fill '#1f6fb2' -draw 'roundrectangle 130,300 330,700 16,16' \
    -fill '#2e8b3a' -draw 'roundrectangle 390,300 590,700 16,16' \
    -fill '#c0392b' -draw 'roundrectangle 650,300 850,700 16,16' \
    -fill '#555555' -draw 'roundrectangle 910,300 1110,700 16,16' \
    -font "$BOLD" -pointsize 46 -fill white -gravity northwest \
    -annotate +160+470 '可回收' -annotate +420+470 '厨余' \
    -annotate +680+470 '有害' -annotate +940+470 '其他' \
    -font "$BOLD" -pointsize 72 -fill '#1b3a57' -gravity north \
    -annotate +0+90 '垃圾分类 从我做起' \
    $J "$out/lajifenlei.jpg"

# Honoree "portraits": gradient + head-and-shoulders silhouette.
portrait() { # name top bottom silhouette
    convert -size 480x600 gradient:"$2"-"$3" -stroke none -fill "$4" \
        -draw 'circle 240,230 240,120' \
        -draw 'ellipse 240,600 190,210 180,360' \
        $J "$out/$1"
}
portrait jiating-1.jpg '#fbe3c9' '#e8a87c' '#8a4b2a'
portrait jiating-2.jpg '#d8ecf7' '#7fb3d5' '#24557a'
portrait jiating-3.jpg '#e4f2dc' '#8cc084' '#2f5d34'
portrait jiating-4.jpg '#efe1f5' '#b497c9' '#4e3566'
ls -l "$out"
